import { EngineError } from './errors.js';

/** How long one engine call may take by default: 15 s, or CHAOSDECK_ENGINE_TIMEOUT (seconds). */
export function engineDeadlineMs(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.CHAOSDECK_ENGINE_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 15_000;
}

/**
 * Settles with `promise`, or rejects as unreachable once `ms` passed without an answer: an engine
 * behind a connection that hangs (a stopped proxy, a laptop's VPN gone, a wedged ssh) answers
 * nothing and refuses nothing, and a call without a deadline would wait for ever. The request
 * itself is left to the socket's own end; the caller goes on.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, where: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new EngineError(
            'unreachable',
            `no answer in ${ms / 1000} s from the Docker engine at ${where} (a hung connection: a stopped proxy, a lost VPN or ssh link?)`,
          ),
        ),
      ms,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
