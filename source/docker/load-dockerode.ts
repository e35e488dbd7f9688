import { createRequire } from 'node:module';
import type Dockerode from 'dockerode';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
interface ModuleInternals {
  _load: Loader;
}

/** What a deferred module is to the package that requires it: a function, or an object of them. */
type Shape = 'function' | 'object';

// Modules dockerode and docker-modem require at load time for features a console on a unix
// socket or plain TCP never uses: BuildKit sessions (gRPC, protobufjs), ssh:// endpoints (ssh2),
// TLS endpoints (Node's https, which brings tls and its certificate store) and gzipped build
// contexts (zlib). Together ~30 MB of memory and ~100 ms of start-up, so each is loaded on its
// first use. Keyed by the request, with the file that makes it.
const DEFERRED: Record<string, { from: RegExp; shape: Shape }> = {
  './session': { from: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, shape: 'function' },
  './ssh': { from: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, shape: 'function' },
  https: { from: /[\\/]docker-modem[\\/]lib[\\/]http\.js$/, shape: 'object' },
  zlib: { from: /[\\/]dockerode[\\/]lib[\\/]util\.js$/, shape: 'object' },
};

/**
 * Loads dockerode with the modules above deferred to their first use. `./session` and `./ssh`
 * are functions (`withSession(docker, auth, handler)`, `ssh(options)`), so a function that
 * requires the real module when called stands in for each; `https` and `zlib` are objects whose
 * members are read when used (`https.request`, `zlib.createGzip`), so a proxy that requires the
 * real module on its first read stands in.
 */
export function loadDockerode(): typeof Dockerode {
  const require = createRequire(import.meta.url);
  const Module = require('node:module') as ModuleInternals;
  const load = Module._load;
  Module._load = function deferring(request, parent, isMain) {
    const from = (parent as { filename?: string } | undefined)?.filename ?? '';
    const deferred = DEFERRED[request];
    if (!deferred?.from.test(from)) return load.call(this, request, parent, isMain);
    let real: unknown;
    const loadReal = () => (real ??= load.call(Module, request, parent, false));
    return deferred.shape === 'function' ? deferredFunction(loadReal) : deferredObject(loadReal);
  };
  try {
    return require('dockerode') as typeof Dockerode;
  } finally {
    Module._load = load;
  }
}

function deferredFunction(loadReal: () => unknown) {
  return function deferred(this: unknown, ...args: unknown[]) {
    return (loadReal() as (...args: unknown[]) => unknown).apply(this, args);
  };
}

// docker-modem makes `https` the prototype of an object of its own and calls
// `Object.getPrototypeOf(h).request(…)`: reads go through `get`, and a write to that object
// (it sets its own `request`) lands on the object itself, as with the real module.
function deferredObject(loadReal: () => unknown) {
  const real = () => loadReal() as Record<PropertyKey, unknown>;
  return new Proxy({} as Record<PropertyKey, unknown>, {
    get: (_target, key) => real()[key],
    has: (_target, key) => key in real(),
  });
}
