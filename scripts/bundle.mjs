// Bundles source/cli.tsx into dist/ (npm run build, after tsc has checked the types).
// Why a bundle: Node resolves, reads and evaluates every file of every package the console
// imports. Ink alone pulls in es-toolkit's whole `compat` barrel (hundreds of files, ~300 ms) for
// one `throttle`; a bundle keeps only what is used, in a few files. Code loaded on demand
// (dockerode's client, the commands, execa, experiments) stays in chunks of its own.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { BASE_OPTIONS, DEFINE, inkSwaps, yogaWithoutFetch } from './bundle-plugins.mjs';

rmSync('dist', { recursive: true, force: true });
await build({
  ...BASE_OPTIONS,
  outdir: 'dist',
  sourcemap: true,
  // dockerode is required through createRequire (load-dockerode.ts defers parts of it);
  // react-devtools-core is Ink's optional dev tool (only with DEV=true), not a dependency.
  external: ['dockerode', 'react-devtools-core'],
  // CommonJS packages inside the bundle call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __chaosdeckRequire } from 'node:module'; const require = __chaosdeckRequire(import.meta.url);",
  },
  define: DEFINE,
  plugins: [inkSwaps, yogaWithoutFetch],
});
