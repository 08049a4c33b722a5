#!/usr/bin/env node
// Entry point for `npx paperboy`: loads the TypeScript sources through tsx so no build step is needed.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
// tsx reads the tsconfig of the working directory unless told which: run from anywhere else, the JSX settings
// would be missing. Worker threads are pointed at the same file (src/workers/ts-worker.ts).
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
// `import` loads only its own modules: the whole CLI's take about 2 s to load, most of a small import.
await import(process.argv[2] === 'import' ? '../src/cli-import.ts' : '../src/cli.ts');
