// The shop writes its claims once, with PostgreSQL's row locks; SQLite has none (one writer holds
// the whole database), and its compiler leaves them out, in subqueries too.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../lib/db/sqlite';

type Db = { jobs: { id: number; taken_at: number | null } };

describe('SQLite without row locks', () => {
  let db: ReturnType<typeof openSqlite<Db>>;
  beforeEach(async () => {
    db = openSqlite<Db>(':memory:');
    await sql`create table jobs (id integer primary key, taken_at integer)`.execute(db);
    await db
      .insertInto('jobs')
      .values([
        { id: 1, taken_at: null },
        { id: 2, taken_at: null },
      ])
      .execute();
  });
  afterEach(() => db.destroy());

  it('runs a select with FOR UPDATE SKIP LOCKED, compiled without the clauses', async () => {
    const query = db.selectFrom('jobs').select('id').where('taken_at', 'is', null).orderBy('id').limit(1).forUpdate().skipLocked();
    expect(query.compile().sql.toLowerCase()).not.toMatch(/for update|skip locked/);
    expect(await query.executeTakeFirst()).toEqual({ id: 1 });
  });

  it('claims through a locked subquery, and keeps selects without locks as they were', async () => {
    const next = db.selectFrom('jobs').select('id').where('taken_at', 'is', null).orderBy('id').limit(1).forUpdate().noWait();
    const claim = db.updateTable('jobs').set({ taken_at: 5 }).where('id', '=', next).returningAll();
    expect(claim.compile().sql.toLowerCase()).not.toMatch(/for update|nowait/);
    expect(await claim.executeTakeFirst()).toEqual({ id: 1, taken_at: 5 });
    expect(await claim.executeTakeFirst()).toEqual({ id: 2, taken_at: 5 });
    expect(db.selectFrom('jobs').selectAll().compile().sql).toBe('select * from "jobs"');
  });
});
