// The main script of the single executable (scripts/binary.mjs). Node 20 runs one CommonJS
// script there; the console is ES modules that load with top-level awaits and in chunks. So they
// travel as the executable's assets and are written once to a directory of this user's (named by
// their hash), then imported from there like any installed package. A data: URL needs no disk
// but doubled the memory of the console (each import resolved against a 5 MB URL, the source
// kept several times): 154 MB against 76 MB at rest.
const { getAsset } = require('node:sea');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const manifest = JSON.parse(getAsset('manifest.json', 'utf8'));

/** Candidate homes for the unpacked console: the XDG cache, then a private dir in the tmp dir. */
function bases() {
  const cache = process.env.XDG_CACHE_HOME;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return [
    path.join(
      cache && path.isAbsolute(cache) ? cache : path.join(os.homedir(), '.cache'),
      'chaosdeck',
    ),
    path.join(os.tmpdir(), `chaosdeck-${uid}`),
  ];
}

/** A directory of this user's only (another user could put code there for us to run). */
function ownDir(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  return st.isDirectory() && st.uid === uid && (st.mode & 0o022) === 0;
}

/** The directory holding this build's files, unpacked now if they are not there yet. */
function unpacked() {
  const problems = [];
  for (const base of bases()) {
    try {
      if (!ownDir(base)) {
        problems.push(`${base}: not a directory of this user's alone`);
        continue;
      }
      const dir = path.join(base, manifest.id);
      if (fs.existsSync(dir)) return dir;
      // Written aside, then renamed: a directory that exists is complete, whoever wrote it.
      const tmp = `${dir}.tmp-${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(tmp, { mode: 0o700 });
      for (const name of manifest.files)
        fs.writeFileSync(path.join(tmp, name), Buffer.from(getAsset(`app/${name}`)));
      try {
        fs.renameSync(tmp, dir);
      } catch (error) {
        // Another chaosdeck unpacked the same build meanwhile: theirs is as good.
        fs.rmSync(tmp, { recursive: true, force: true });
        if (!fs.existsSync(dir)) throw error;
      }
      return dir;
    } catch (error) {
      problems.push(`${base}: ${error.message}`);
    }
  }
  throw new Error(`nowhere to unpack the console (${problems.join('; ')})`);
}

let entry;
try {
  entry = pathToFileURL(path.join(unpacked(), manifest.entry)).href;
} catch (error) {
  process.stderr.write(`chaosdeck: could not start: ${error.message}\n`);
  process.exit(1);
}
// The loader is marked experimental in Node 20 and says so on first use; that notice is not the
// user's. Every other warning passes.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) =>
  /USE_MAIN_CONTEXT_DEFAULT_LOADER/.test(String(warning))
    ? undefined
    : emitWarning.call(process, warning, ...rest);
globalThis.__chaosdeckEntry = entry;
new vm.Script('import(globalThis.__chaosdeckEntry)', {
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
})
  .runInThisContext()
  .catch((error) => {
    process.stderr.write(`chaosdeck: could not start: ${(error && error.stack) || error}\n`);
    process.exit(1);
  });
