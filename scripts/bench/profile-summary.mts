// Where a run's CPU went, from a profile BENCH_CPU_PROFILE wrote (scripts/bench/profile.mts):
// milliseconds per request of each function, inclusive of what it called, by the source file and
// line it was built from (the build's source maps beside its chunks), so that the shop's own code
// shows under its own names among Next's, React's and Node's.
//
//   npx tsx scripts/bench/profile-summary.mts <file.cpuprofile> [--top 40] [--match 'lib/|app/']
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

export type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
export type CpuProfile = {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
};

/** "name file:line" for a frame: where it was built from when a source map says so, else as built. */
export type Locate = (frame: CallFrame) => string;

/**
 * Inclusive time by location, in ms: each sample counts once for every distinct location on its
 * stack (a recursive function is not counted twice). Idle time is left out.
 */
export function inclusiveMs(profile: CpuProfile, locate: Locate): { totalMs: number; byLocation: Map<string, number> } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const names = new Map<number, string>();
  const nameOf = (id: number) => {
    let name = names.get(id);
    if (name === undefined) names.set(id, (name = locate(byId.get(id)!.callFrame)));
    return name;
  };
  const byLocation = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((sample, index) => {
    if (byId.get(sample)?.callFrame.functionName === '(idle)') return;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    totalMs += ms;
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parentOf.get(id)) {
      const name = nameOf(id);
      if (seen.has(name)) continue;
      seen.add(name);
      byLocation.set(name, (byLocation.get(name) ?? 0) + ms);
    }
  });
  return { totalMs, byLocation };
}

/** Locates frames through the source map beside each built file (`<file>.map`), read once each. */
export function sourceLocator(): Locate {
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (url: string) => {
    if (!maps.has(url)) {
      let map: SourceMap | undefined;
      try {
        const file = `${url.startsWith('file:') ? fileURLToPath(url) : url}.map`;
        // Index maps (with sections) are not read: Turbopack's server chunks have plain ones.
        const payload = existsSync(file)
          ? (JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload & { sections?: unknown })
          : undefined;
        map = payload && !payload.sections ? new SourceMap(payload) : undefined;
      } catch {
        map = undefined;
      }
      maps.set(url, map);
    }
    return maps.get(url);
  };
  return (frame) => {
    const name = frame.functionName || '(anonymous)';
    const map = frame.url.includes('/.next/') ? mapOf(frame.url) : undefined;
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
    if (!entry || !('originalSource' in entry)) return `${name} ${shortPath(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    return `${(entry as { name?: string }).name ?? name} ${shortPath(entry.originalSource)}:${entry.originalLine + 1}`;
  };
}

/** node_modules/<package>/…, or the path within the repository (a map's sources are relative). */
function shortPath(source: string): string {
  const modules = source.lastIndexOf('node_modules/');
  if (modules >= 0) return source.slice(modules);
  return decoded(source)
    .replace(/^file:\/\//, '')
    .replace(/^turbopack:\/\/\/\[project\]\//, '')
    .replace(/^(\.\.\/)+/, '')
    .replace(/^.*\/\.next\//, '.next/');
}

/** Turbopack's maps spell app/[lang]/… as app/%5Blang%5D/…. */
function decoded(source: string): string {
  try {
    return decodeURIComponent(source);
  } catch {
    return source;
  }
}

async function main() {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.mts <file.cpuprofile> [--top N] [--match regex]');
  const option = (flag: string) => {
    const at = rest.indexOf(flag);
    return at >= 0 ? rest[at + 1] : undefined;
  };
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const note = existsSync(`${file}.json`)
    ? (JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { run: string; requests: number })
    : undefined;
  const requests = note?.requests || 1;
  const match = option('--match') ? new RegExp(option('--match')!) : undefined;
  const { totalMs, byLocation } = inclusiveMs(profile, sourceLocator());
  console.log(
    note
      ? `${note.run}: ${requests} requests, ${(totalMs / requests).toFixed(2)} ms of CPU sampled a request (the profiler's own cost included)`
      : `${totalMs.toFixed(0)} ms of CPU sampled (no note of the run beside the profile: figures are totals)`,
  );
  const rows = [...byLocation].filter(([name]) => !name.startsWith('(root)') && (!match || match.test(name))).sort((a, b) => b[1] - a[1]);
  for (const [name, ms] of rows.slice(0, Number(option('--top') ?? 40))) console.log(`${(ms / requests).toFixed(3).padStart(9)}  ${name}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
