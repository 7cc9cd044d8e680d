// Preloaded (`node -r`) into every bench server when BENCH_CPU_PROFILE=<dir> is set
// (scripts/bench/profile.mts): a V8 CPU profile of the measured part of each load run alone, not
// of the server's whole life (its start, the warm-ups, the orders prepared for the returns), which
// would blur each path's figure with the others'. The bench sends SIGUSR2 when a run's measured
// part starts and again when it ends; the second writes the profile to the file the bench named
// in <dir>/<pid>.name just before. CommonJS: `node -r` loads it before the server's own code.
'use strict';
const { Session } = require('node:inspector');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE;
if (dir) {
  const session = new Session();
  session.connect();
  let profiling = false;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      // Every 250 µs: a request of a few milliseconds shows its parts (the default is 1 ms).
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 250 }, () => session.post('Profiler.start')),
      );
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      const file = path.join(dir, readFileSync(path.join(dir, `${process.pid}.name`), 'utf8').trim());
      // Written whole under another name first: the bench waits for this name to appear.
      writeFileSync(`${file}.part`, JSON.stringify(error ? { error: String(error) } : result.profile));
      renameSync(`${file}.part`, file);
    });
  });
}
