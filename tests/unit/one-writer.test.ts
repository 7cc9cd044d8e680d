// One writer of a payment attempt's state: moveAttempt (lib/payments/orders.ts), which checks every
// move against the transition table and records its event in the same transaction. This test
// reads the source: any other module that updates payment_attempts, or any other update there that
// sets `state`, fails it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const WRITER = 'lib/payments/orders.ts';

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return /\.(ts|tsx|mts)$/.test(name) ? [path] : [];
  });
}

const code = (path: string) => readFileSync(join(root, path), 'utf8');
const updatesAttempts = /updateTable\(\s*['"]payment_attempts['"]\s*\)|update\s+payment_attempts\b/i;

it('no module but the writer updates payment_attempts (migrations excepted)', () => {
  const offenders = ['lib', 'app', 'scripts']
    .flatMap(sources)
    .filter((path) => path !== WRITER && path !== 'lib/db/shop-migrations.ts')
    .filter((path) => updatesAttempts.test(code(path)));
  expect(offenders.map((path) => relative(root, join(root, path)))).toEqual([]);
});

it('in the writer, only moveAttempt sets the state column', () => {
  const source = code(WRITER);
  // The `state` key (the order's `latest_state` mirror is another column).
  const settingState = [...source.matchAll(/\.set\(\{([^}]*)\}/g)].filter((m) => /(^|[\s,{])state\s*[:,}]/.test(m[1]!));
  expect(settingState).toHaveLength(1);
  const moveAttempt = source.slice(
    source.indexOf('export async function moveAttempt'),
    source.indexOf('\n}\n', source.indexOf('export async function moveAttempt')),
  );
  expect(moveAttempt).toContain(settingState[0]![0]);
});

it('the test would see an offender (it reads what it claims to read)', () => {
  expect(updatesAttempts.test("await db.updateTable('payment_attempts').set({ state: 'paid' })")).toBe(true);
  expect(sources('lib')).toContain(WRITER);
});
