// `next start`, Next's own CLI unchanged, under a name of its own: on a shared machine other
// sessions stop stray Next servers by name (`pkill -f "next start"`, `pkill next-server`), and a
// bench server stopped halfway through measures nothing. Usage: node next-start.cjs -p PORT -H HOST
'use strict';

const NAME = 'mirpay-bench-server';
process.title = NAME;
process.argv = [process.argv[0], require.resolve('next/dist/bin/next'), 'start', ...process.argv.slice(2)];
require('next/dist/bin/next');

// Next renames the process to "next-server (vX)" as it starts listening: name it back once.
const deadline = Date.now() + 60_000;
const rename = setInterval(() => {
  if (process.title.startsWith('next-server') || Date.now() > deadline) {
    process.title = NAME;
    clearInterval(rename);
  }
}, 20);
rename.unref();
