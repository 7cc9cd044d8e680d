// The bench's growth figures need PostgreSQL: scripts/bench/scale-database.mts starts the default
// database with the tests' script when it does not answer (a fresh machine has it installed but
// stopped), runs nothing when it answers, and leaves a database named in BENCH_DATABASE_URL alone.
// The script here is a stand-in that records that it ran; the connections are real.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, DEFAULT_DATABASE_URL, scaleDatabase } from '../../scripts/bench/scale-database.mjs';

let dir: string;
let script: string;
let marker: string;
let closedPort: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bench-db-'));
  marker = path.join(dir, 'ran');
  script = path.join(dir, 'start-db.sh');
  writeFileSync(script, `#!/bin/sh\necho started > '${marker}'\necho "postgres-test-db: ready"\n`);
  chmodSync(script, 0o755);
  // A port nothing listens on: one the system gave and took back.
  closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the PostgreSQL of the growth figures', () => {
  it('starts the default database with the script when it does not answer', async () => {
    rmSync(marker, { force: true });
    const url = `postgres://mirpay:mirpay@127.0.0.1:${closedPort}/mirpay_test`;
    const lines: string[] = [];
    expect(await scaleDatabase(undefined, (line) => lines.push(line), { url, script })).toBe(url);
    expect(existsSync(marker)).toBe(true);
    expect(lines.join('\n')).toContain('does not answer: starting it');
    expect(lines.join('\n')).toContain('postgres-test-db: ready');
    expect(lines.join('\n')).not.toContain(':mirpay@');
  });

  it('says so when the script fails, and still names the database (the measurement then fails the run)', async () => {
    const failing = path.join(dir, 'no-postgres.sh');
    writeFileSync(failing, '#!/bin/sh\necho "postgres-test-db: no PostgreSQL 15 cluster on this machine" >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    const url = `postgres://mirpay:mirpay@127.0.0.1:${closedPort}/mirpay_test`;
    const lines: string[] = [];
    expect(await scaleDatabase(undefined, (line) => lines.push(line), { url, script: failing })).toBe(url);
    expect(lines.at(-1)).toContain('could not start it: postgres-test-db: no PostgreSQL 15 cluster');
  });

  it('leaves a database named in BENCH_DATABASE_URL alone', async () => {
    rmSync(marker, { force: true });
    const configured = `postgres://someone:secret@127.0.0.1:${closedPort}/elsewhere`;
    const url = await scaleDatabase(configured, () => undefined, { url: DEFAULT_DATABASE_URL, script });
    expect(url).toBe(configured);
    expect(existsSync(marker)).toBe(false);
  });

  it('runs nothing when the default database answers', async (context) => {
    const url = process.env.TEST_POSTGRES_URL ?? DEFAULT_DATABASE_URL;
    if (!(await answers(url))) context.skip();
    rmSync(marker, { force: true });
    expect(await scaleDatabase(undefined, () => undefined, { url, script })).toBe(url);
    expect(existsSync(marker)).toBe(false);
  });
});
