// The repository explains itself: every document the code, tests, scripts and README cite is in
// docs/, every section (§) or checklist item (#) they point at exists there, and nothing points at
// issue numbers or at files outside the repository.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const files = execFileSync(
  'git',
  ['ls-files', 'lib', 'app', 'scripts', 'tests', 'docs', 'README.md', 'proxy.ts', 'instrumentation.ts', '.ci/run', 'package.json'],
  { cwd: root, encoding: 'utf8' },
)
  .split('\n')
  .filter((path) => path && existsSync(join(root, path)) && !/\.(png|svg|ico|json)$/.test(path.replace(/^package\.json$/, '')));
const text = (path: string) => readFileSync(join(root, path), 'utf8');

// "docs/gateway-api.md §3.2", "docs/reliability.md #14", or the file alone.
const CITATION = /docs\/([\w-]+\.md)(?: ?(§) ?(\d+(?:\.\d+)?)| ?#(\d+))?/g;

function citations() {
  return files.flatMap((path) => [...text(path).matchAll(CITATION)].map((m) => ({ path, doc: m[1]!, section: m[3], item: m[4] })));
}

it('every cited document is in docs/', () => {
  const missing = citations().filter(({ doc }) => !existsSync(join(root, 'docs', doc)));
  expect(missing).toEqual([]);
  expect(citations().length).toBeGreaterThan(20);
});

it('every cited section (§) and checklist item (#) exists in its document', () => {
  const missing = citations().filter(({ doc, section, item }) => {
    const body = existsSync(join(root, 'docs', doc)) ? text(join('docs', doc)) : '';
    if (section) return !new RegExp(`^#{2,4} ${section.replace('.', '\\.')}[. ]`, 'm').test(body);
    if (item) return !new RegExp(`^\\| ${item} \\|`, 'm').test(body);
    return false;
  });
  expect(missing).toEqual([]);
});

it('no references to issue numbers or to files outside the repository', () => {
  const offenders = files
    .filter((path) => path !== 'tests/unit/citations.test.ts')
    .flatMap((path) =>
      text(path)
        .split('\n')
        .map((line, i) => ({ path, line: i + 1, text: line })),
    )
    .filter(({ text }) => /\b[Ii]ssues? #?\d+\b|\.\.\/shared\b|seed steps?\b/.test(text));
  expect(offenders).toEqual([]);
});
