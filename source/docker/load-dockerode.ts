import { createRequire } from 'node:module';
import type Dockerode from 'dockerode';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
interface ModuleInternals {
  _load: Loader;
}

// Modules dockerode and docker-modem require at load time for features a console on a unix
// socket or TCP never uses: BuildKit sessions (gRPC, protobufjs) and ssh:// endpoints (ssh2).
// They cost ~25 MB of memory and ~100 ms of start-up, so each is loaded on its first call.
const DEFERRED: Record<string, RegExp> = {
  './session': /[\\/]dockerode[\\/]lib[\\/]docker\.js$/,
  './ssh': /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/,
};

/**
 * Loads dockerode with its BuildKit session and ssh agent deferred to their first use. Both are
 * functions in those packages (`withSession(docker, auth, handler)`, `ssh(options)`), so a
 * function that requires the real module when called stands in for each.
 */
export function loadDockerode(): typeof Dockerode {
  const require = createRequire(import.meta.url);
  const Module = require('node:module') as ModuleInternals;
  const load = Module._load;
  Module._load = function deferring(request, parent, isMain) {
    const from = (parent as { filename?: string } | undefined)?.filename ?? '';
    if (!DEFERRED[request]?.test(from)) return load.call(this, request, parent, isMain);
    let real: ((...args: unknown[]) => unknown) | undefined;
    return function deferred(this: unknown, ...args: unknown[]) {
      real ??= load.call(Module, request, parent, false) as (...args: unknown[]) => unknown;
      return real.apply(this, args);
    };
  };
  try {
    return require('dockerode') as typeof Dockerode;
  } finally {
    Module._load = load;
  }
}
