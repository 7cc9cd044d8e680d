// The empty App Router app must be empty: Turbopack, whose root for it is the repository, once
// bundled the shop's instrumentation.ts into it (request hooks and start-up polling on the floor's
// side of every CPU ratio). buildFloor now gives it an instrumentation of its own and refuses a
// build whose hook holds anything else; instrumentationSources is what it reads, here on the
// layout Turbopack writes: .next/server/instrumentation.js loading chunks, each with its map.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentationSources } from '../../scripts/bench/build.mjs';
import { ROOT } from '../../scripts/bench/config.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function buildDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'floor-build-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, '.next/server/chunks'), { recursive: true });
  return dir;
}

/** The instrumentation entry, loading `chunks` (name → their maps' sources, as files). */
function hook(dir: string, chunks: Record<string, { files: string[]; sections?: boolean }>): void {
  const server = path.join(dir, '.next/server');
  const loads = Object.keys(chunks).map((name) => `R.c("server/chunks/${name}")\n`);
  writeFileSync(
    path.join(server, 'instrumentation.js'),
    `var R=require("./chunks/[turbopack]_runtime.js")("server/instrumentation.js")\n${loads.join('')}R.m(1)\nmodule.exports=R.m(1).exports\n`,
  );
  for (const [name, { files, sections }] of Object.entries(chunks)) {
    // A map's sources are relative to the chunk, as Turbopack writes them ("../../../../instrumentation.ts").
    const sources = files.map((file) => (file.startsWith('turbopack:') ? file : path.relative(path.join(server, 'chunks'), file)));
    const map = sections
      ? { version: 3, sections: sources.map((source, line) => ({ offset: { line, column: 0 }, map: { version: 3, sources: [source] } })) }
      : { version: 3, sources };
    writeFileSync(path.join(server, 'chunks', name), '');
    writeFileSync(path.join(server, 'chunks', `${name}.map`), JSON.stringify(map));
  }
}

describe('the floor build check (scripts/bench/build.mts)', () => {
  it("names the shop's instrumentation.ts and what it imports when the empty app's hook bundles them", () => {
    const dir = buildDir();
    hook(dir, {
      'a._.js': { files: [path.join(ROOT, 'instrumentation.ts')] },
      'b._.js': { files: [path.join(ROOT, 'lib/web/client-address.ts')] },
    });
    expect(instrumentationSources(dir)).toEqual(['instrumentation.ts', 'lib/web/client-address.ts']);
  });

  it('reads index maps (sections) and leaves node_modules and the Turbopack runtime out', () => {
    const dir = buildDir();
    const own = path.join(dir, 'instrumentation.js');
    hook(dir, {
      'c._.js': {
        files: [own, path.join(ROOT, 'node_modules/next/dist/server/x.js'), 'turbopack:///[turbopack]/runtime.ts'],
        sections: true,
      },
    });
    expect(instrumentationSources(dir)).toEqual([path.relative(ROOT, own)]);
  });

  it('finds nothing in a build without an instrumentation hook', () => {
    expect(instrumentationSources(buildDir())).toEqual([]);
  });
});
