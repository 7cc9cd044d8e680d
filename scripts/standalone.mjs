#!/usr/bin/env node
// After `next build`: completes .next/standalone, the self-contained server `npm run
// start:standalone` runs (docs/deployment.md). Next traces the server's code and the node_modules
// it needs into it, but leaves out the static files, served from .next/static and public/: copied
// here, so that the directory can be deployed alone, without the repository's dev dependencies.
import { cpSync, existsSync } from 'node:fs';

const target = '.next/standalone';
if (!existsSync(`${target}/server.js`)) {
  console.error(`${target}/server.js is missing: is output: 'standalone' set in next.config.js?`);
  process.exit(1);
}
cpSync('.next/static', `${target}/.next/static`, { recursive: true });
if (existsSync('public')) cpSync('public', `${target}/public`, { recursive: true });
