// npm run binary: release/chaosdeck-linux-<arch>, one file that runs with no Node, npm or
// node_modules on the machine. It is Node's own single executable application (SEA): a copy of
// the node binary with the whole console, bundled into one CommonJS script, injected with
// postject. Why SEA: it is the same Node that the tests run (no second runtime to trust), it
// needs nothing at install, and it is built offline from the node already here.
//
//   node scripts/binary.mjs                     this machine's node and architecture
//   node scripts/binary.mjs --node PATH --arch arm64
//                                               another architecture's node binary (v20.12 or
//                                               later, from nodejs.org)
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { DEFINE, inkSwaps, yogaWithoutFetch } from './bundle-plugins.mjs';

const { values } = parseArgs({
  options: { node: { type: 'string' }, arch: { type: 'string' } },
});
const nodeBinary = values.node ?? process.execPath;
const arch = values.arch ?? process.arch;
const work = 'release/.build';
const out = `release/chaosdeck-linux-${arch}`;
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// The npm bundle loads dockerode from node_modules with some of its modules deferred
// (source/docker/load-dockerode.ts). An executable has no node_modules: dockerode is bundled, and
// esbuild's wrappers already evaluate each of its modules on first require.
const bundledDockerode = {
  name: 'bundled-dockerode',
  setup(b) {
    b.onLoad({ filter: /[\\/]source[\\/]docker[\\/]load-dockerode\.ts$/ }, () => ({
      contents: "export function loadDockerode() { return require('dockerode'); }",
      loader: 'ts',
    }));
  },
};

// Node 20's SEA runs one CommonJS script, and the console cannot be one: Yoga (Ink's layout)
// and Ink load with top-level awaits. So the executable holds the console as one ES module (an
// asset of the blob) and a small CommonJS main that imports it from a data: URL, through the
// main context's loader (vm's USE_MAIN_CONTEXT_DEFAULT_LOADER, Node 20.12 and later). Nothing is
// written to disk. One module, not chunks: a data: URL has no neighbours to import.
// Ink imports react-devtools-core, its optional dev tool, only with DEV=true (the npm bundle
// leaves it external). In one module that import is static, and a data: module can resolve no
// package: a stand-in that says so if DEV=true ever asks for it.
const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: 'devtools',
      namespace: 'none',
    }));
    b.onLoad({ filter: /.*/, namespace: 'none' }, () => ({
      contents:
        "export default new Proxy({}, { get() { throw new Error('the chaosdeck executable has no React dev tools'); } });",
      loader: 'js',
    }));
  },
};

const script = `${work}/chaosdeck.mjs`;
await build({
  entryPoints: ['source/cli.tsx'],
  outfile: script,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  minifyWhitespace: true,
  minifySyntax: true,
  // ssh2's optional native parts (cpu-features, its sshcrypto addon) are each required inside a
  // try: without them ssh2 uses its JavaScript code, as it does where they failed to build.
  external: ['cpu-features', '*.node'],
  // A data: module's import.meta.url is the data itself: the executable's path stands in where
  // the code asks for its own file (createRequire, which here only ever loads Node's modules).
  define: { ...DEFINE, 'import.meta.url': '__chaosdeckUrl' },
  banner: {
    js: [
      "import { createRequire as __chaosdeckRequire } from 'node:module';",
      "import { pathToFileURL as __chaosdeckFileUrl } from 'node:url';",
      'const __chaosdeckUrl = __chaosdeckFileUrl(process.execPath).href;',
      'const require = __chaosdeckRequire(__chaosdeckUrl);',
      // CommonJS packages inside read these; only parts chaosdeck never calls (BuildKit's
      // .proto files, ssh2's Windows pageant) would find nothing there.
      'const __filename = process.execPath;',
      "const __dirname = require('node:path').dirname(process.execPath);",
    ].join(' '),
  },
  plugins: [inkSwaps, yogaWithoutFetch, bundledDockerode, noDevtools],
  logLevel: 'warning',
});
const main = `${work}/main.cjs`;
writeFileSync(
  main,
  `const { getAsset } = require('node:sea');
const vm = require('node:vm');
const url = 'data:text/javascript;base64,' + Buffer.from(getAsset('chaosdeck.mjs')).toString('base64');
// The loader is marked experimental in Node 20 and says so on first use; that notice is not the
// user's. Every other warning passes.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) =>
  /USE_MAIN_CONTEXT_DEFAULT_LOADER/.test(String(warning)) ? undefined : emitWarning.call(process, warning, ...rest);
const load = new vm.Script('import(' + JSON.stringify(url) + ')', {
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
load.runInThisContext().catch((error) => {
  const text = String((error && error.stack) || error).split(url).join('chaosdeck.mjs');
  process.stderr.write('chaosdeck: could not start: ' + text + '\\n');
  process.exit(1);
});
`,
);

const blob = `${work}/sea.blob`;
writeFileSync(
  `${work}/sea-config.json`,
  JSON.stringify({
    main,
    output: blob,
    assets: { 'chaosdeck.mjs': script },
    disableExperimentalSEAWarning: true,
    // The code cache covers only the small main; the module is compiled at start-up either way.
    useCodeCache: false,
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', `${work}/sea-config.json`], {
  stdio: 'inherit',
});
rmSync(out, { force: true });
copyFileSync(nodeBinary, out);
chmodSync(out, 0o755);
execFileSync(
  process.execPath,
  [
    path.resolve('node_modules/postject/dist/cli.js'),
    out,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
rmSync(work, { recursive: true, force: true });
process.stdout.write(`${out}\n`);
