#!/usr/bin/env node
// Entry point for `npx paperboy`: loads the TypeScript sources through tsx so no build step is needed.
import { register } from 'tsx/esm/api';
register();
// `import` loads only its own modules: the whole CLI's take about 2 s to load, most of a small import.
await import(process.argv[2] === 'import' ? '../src/cli-import.ts' : '../src/cli.ts');
