// npm run binary: release/chaosdeck-linux-<arch>, one file that runs with no Node, npm or
// node_modules on the machine. It is Node's own single executable application (SEA): a copy of
// the node binary with the console's bundle (the npm bundle's chunks, dockerode included) as
// assets and a small main script (scripts/sea-main.cjs) that unpacks them once per build and
// user, injected with postject. Why SEA: it is the same Node that the tests run (no second runtime to trust), it
// needs nothing at install, and it is built offline from the node already here.
//
//   node scripts/binary.mjs                     this machine's node and architecture
//   node scripts/binary.mjs --node PATH --arch arm64
//                                               another architecture's node binary (v20.12 or
//                                               later, from nodejs.org)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { BASE_OPTIONS, DEFINE, PACKAGE, inkSwaps, yogaWithoutFetch } from './bundle-plugins.mjs';

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

// Left out, each with a stand-in that throws when loaded: Ink's optional dev tools
// (react-devtools-core, only with DEV=true; external in the npm bundle) and ssh2's optional native
// parts (cpu-features, its sshcrypto addon), each required inside a try: without them ssh2 uses
// its JavaScript code, as it does where they failed to build.
const absent = {
  name: 'absent',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$|^cpu-features$|\.node$/ }, (args) => ({
      path: args.path,
      namespace: 'absent',
    }));
    b.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in the chaosdeck executable`)});`,
      loader: 'js',
    }));
  },
};

// The console as the npm bundle builds it (split, lazy chunks), with dockerode inside and
// nothing external: the executable has no node_modules.
const app = `${work}/app`;
await build({
  ...BASE_OPTIONS,
  outdir: app,
  define: DEFINE,
  // CommonJS packages inside call require() for Node's own modules, and ssh2's poly1305 reads
  // __dirname at load (only as a path it never opens).
  banner: {
    js: [
      "import { createRequire as __chaosdeckRequire } from 'node:module';",
      "import { fileURLToPath as __chaosdeckPath } from 'node:url';",
      'const require = __chaosdeckRequire(import.meta.url);',
      'const __filename = __chaosdeckPath(import.meta.url);',
      "const __dirname = require('node:path').dirname(__filename);",
    ].join(' '),
  },
  plugins: [inkSwaps, yogaWithoutFetch, bundledDockerode, absent],
});
const files = readdirSync(app).sort();
const hash = createHash('sha256');
for (const f of files) hash.update(f).update(readFileSync(`${app}/${f}`));
const id = `${PACKAGE.version}-${hash.digest('hex').slice(0, 16)}`;
writeFileSync(`${work}/manifest.json`, JSON.stringify({ id, entry: 'cli.js', files }));

const blob = `${work}/sea.blob`;
writeFileSync(
  `${work}/sea-config.json`,
  JSON.stringify({
    main: 'scripts/sea-main.cjs',
    output: blob,
    assets: {
      'manifest.json': `${work}/manifest.json`,
      ...Object.fromEntries(files.map((f) => [`app/${f}`, `${app}/${f}`])),
    },
    disableExperimentalSEAWarning: true,
    // Only the small main would be cached; the console's modules are compiled as from npm.
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
