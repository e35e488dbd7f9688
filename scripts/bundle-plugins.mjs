// What both builds share: the npm bundle (scripts/bundle.mjs) and the single executable
// (scripts/binary.mjs) run the same code, so they are built with the same swaps and patches.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** The package's facts a build writes in (source/entry/package-info.ts). */
export const PACKAGE = { name: pkg.name, version: pkg.version, description: pkg.description };

/**
 * What both builds are: the console from source/cli.tsx, split into chunks loaded on demand, for
 * Node 20. Names stay as written (whitespace and syntax minified only), so a stack trace in a bug
 * report reads like the source.
 */
export const BASE_OPTIONS = {
  entryPoints: ['source/cli.tsx'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

/** The constants written into a build: the package's facts (source/entry/package-info.ts). */
export const DEFINE = {
  // React's development build costs several times the CPU per frame and the console is not a
  // dev tool: fixed at build time, the development branches (and files) are left out.
  'process.env.NODE_ENV': '"production"',
  __CHAOSDECK_PACKAGE__: JSON.stringify(PACKAGE),
};

// Ink builds every frame from nothing: each line tokenised, measured and turned back into text,
// although a new probe result changes one line (about half of the console's idle CPU). Three of
// Ink's imports get versions that remember from one frame to the next: its frame buffer
// `./output.js` (source/ui/ink-output.ts), `widest-line` (source/ui/ink-widest-line.ts) and its
// `./measure-text.js` (source/ui/ink-measure-text.ts; Ink's own remembers every text for ever).
// Ink's use-input gets a `../parse-keypress.js` that makes a sequence Ink cannot name harmless
// (source/ui/ink-parse-keypress.ts; Ink 6 threw on a pasted `ESC [31m`), which imports Ink's
// own file by a name only this build resolves.
// The build fails if Ink stops importing any, rather than silently losing them.
const INK_SWAPS = {
  './output.js': 'source/ui/ink-output.ts',
  './measure-text.js': 'source/ui/ink-measure-text.ts',
  'widest-line': 'source/ui/ink-widest-line.ts',
  '../parse-keypress.js': 'source/ui/ink-parse-keypress.ts',
};
const INK_ORIGINALS = { 'ink-original-parse-keypress': 'node_modules/ink/build/parse-keypress.js' };
/** Ink's files swapped for the console's own (see above). */
export const inkSwaps = {
  name: 'ink-swaps',
  setup(b) {
    const swapped = new Set();
    const swaps = /^(\.\/output\.js|\.\/measure-text\.js|widest-line|\.\.\/parse-keypress\.js)$/;
    b.onResolve({ filter: swaps }, (args) => {
      if (!/[\\/]node_modules[\\/]ink[\\/]build[\\/]/.test(args.importer)) return undefined;
      swapped.add(args.path);
      return { path: path.resolve(INK_SWAPS[args.path]) };
    });
    b.onResolve({ filter: /^ink-original-/ }, (args) => ({
      path: path.resolve(INK_ORIGINALS[args.path]),
    }));
    b.onEnd(() => {
      const missing = Object.keys(INK_SWAPS).filter((name) => !swapped.has(name));
      if (missing.length) throw new Error(`bundle: Ink no longer imports ${missing.join(', ')}`);
    });
  },
};

// Yoga's Emscripten loader (Ink's layout engine) fetches its own WebAssembly, inlined as a data:
// URL, whenever a global `fetch` exists. On Node that first touch loads Node's whole fetch stack
// (undici, and with it http2, tls, zlib, worker_threads) for nothing, ~2 MB of the console's RSS
// for its life. A module-scoped `fetch` shadows the global in that one file, so the loader takes
// its own path for an environment without fetch (it decodes the inlined bytes, synchronously).
// The build fails if the loader stops asking for fetch, rather than keeping a dead patch.
const YOGA_LOADER = /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
/** Yoga's loader without a global fetch (see above). */
export const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    let patched = false;
    b.onLoad({ filter: YOGA_LOADER }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('typeof fetch'))
        throw new Error("bundle: yoga's loader no longer asks for fetch");
      patched = true;
      return { contents: `const fetch = undefined;\n${text}`, loader: 'js' };
    });
    b.onEnd(() => {
      if (!patched)
        throw new Error("bundle: yoga's loader was not bundled from where it was expected");
    });
  },
};
