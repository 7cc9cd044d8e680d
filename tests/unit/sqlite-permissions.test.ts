// The SQLite database holds customers' contacts: its directory and files are the server user's
// alone (0700, 0600), whatever the umask.
import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../lib/db/sqlite';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('openSqlite file permissions', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'sqlite-perms-'));
    // The most permissive umask: whatever mode the files get is the code's doing.
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the directories 0700 and the database, -wal and -shm 0600 under umask 000', async () => {
    const file = path.join(root, 'a', 'b', 'shop.sqlite');
    const db = openSqlite(file);
    await sql`create table t (x integer)`.execute(db);
    await sql`insert into t values (1)`.execute(db);
    expect(modeOf(path.join(root, 'a')).toString(8)).toBe('700');
    expect(modeOf(path.join(root, 'a', 'b')).toString(8)).toBe('700');
    for (const name of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(name).toString(8), name).toBe('600');
    await db.destroy();
  });

  it('takes the mode of a database file an older version left readable to all, and leaves an existing directory alone', async () => {
    const dir = path.join(root, 'shared');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const file = path.join(dir, 'shop.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const db = openSqlite(`file:${file}`);
    await sql`create table t (x integer)`.execute(db);
    expect(modeOf(file).toString(8)).toBe('600');
    expect(modeOf(`${file}-wal`).toString(8)).toBe('600');
    expect(modeOf(dir).toString(8)).toBe('755');
    await db.destroy();
  });
});
