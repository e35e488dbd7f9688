import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureDir, checkWritable, StatePathError } from '../../source/chaos/state-path.js';
import { MAX_TIMER_MS, WindowTimers } from '../../source/chaos/window-timers.js';
import { EngineError } from '../../source/docker/errors.js';
import { watchTerminal } from '../../source/entry/terminal-loss.js';
import { controllerSetup, target } from '../helpers/fake-chaos.js';

/** A promise and the functions that settle it, for an engine call that is still in flight. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('undo of a fault still being applied', () => {
  it('a quit during the apply waits for it, then undoes it', async () => {
    const { chaos, port, containers, log, ledger } = controllerSetup();
    const call = deferred();
    port.pause = async (id) => {
      log.push(`pause ${id} sent`);
      await call.promise;
      containers.get(id)!.paused = true;
    };
    const running = chaos.run({ kind: 'pause', target, params: {} });
    await vi.waitFor(() => expect(log).toContain('pause c1 sent'));
    expect(ledger.list().map((r) => r.status)).toEqual(['applying']);
    const closing = chaos.close();
    call.resolve();
    const summary = await closing;
    await running;
    expect(summary.undone).toHaveLength(1);
    expect(containers.get('c1')!.paused).toBe(false);
    expect(log).toEqual(['pause c1 sent', 'unpause c1']);
    expect(ledger.list()).toEqual([]);
    expect(chaos.list()).toEqual([]);
  });

  it('an apply whose outcome is unknown is undone by what is there', async () => {
    const { chaos, port, containers, ledger } = controllerSetup();
    port.pause = async (id) => {
      containers.get(id)!.paused = true;
      throw new EngineError('unreachable', 'connection reset');
    };
    await expect(chaos.run({ kind: 'pause', target, params: {} })).rejects.toThrow('reset');
    expect(containers.get('c1')!.paused).toBe(false);
    expect(ledger.list()).toEqual([]);
  });

  it('an apply the engine refused leaves no entry and nothing to undo', async () => {
    const { chaos, port, log, ledger } = controllerSetup();
    port.pause = async () => {
      throw new EngineError('conflict', 'container is not running');
    };
    await expect(chaos.run({ kind: 'pause', target, params: {} })).rejects.toThrow('not running');
    expect(log).toEqual([]);
    expect(ledger.list()).toEqual([]);
    expect(chaos.list()).toEqual([]);
  });

  it('refuses new faults once the way out has begun', async () => {
    const { chaos, log } = controllerSetup();
    await chaos.close();
    await expect(chaos.run({ kind: 'pause', target, params: {} })).rejects.toThrow(/quitting/);
    expect(log).toEqual([]);
  });

  it('says the target died instead of "undone" when its container is gone from under it', async () => {
    const { chaos, containers, log } = controllerSetup();
    await chaos.run({ kind: 'cpu', target, params: { cpus: '0.2', scope: 'container' } });
    containers.get('c1')!.running = false;
    const summary = await chaos.close();
    expect(summary.died).toHaveLength(1);
    expect(summary.undone).toEqual([]);
    expect(log).toEqual(['cpu c1 {"nanoCpus":200000000}']);
  });
});

describe('window timers', () => {
  afterEach(() => void vi.useRealTimers());

  it.each([
    ['999h', 999 * 3_600_000],
    ['597h', 597 * 3_600_000],
    ['just over a timer', MAX_TIMER_MS + 5_000],
    ['one second', 1_000],
  ])('a %s window ends when it ends, not before', (_name, length) => {
    vi.useFakeTimers();
    const timers = new WindowTimers();
    const end = vi.fn();
    timers.set('w', Date.now() + length, end);
    vi.advanceTimersByTime(length - 1);
    expect(end).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(end).toHaveBeenCalledTimes(1);
  });
});

describe('state paths', () => {
  it.each([
    ['/proc/forbidden/x', /cannot create \/proc\/forbidden \(ENOENT\)/],
    ['/proc/self/status/x', /\/proc\/self\/status is not a directory/],
    ['/dev/null/x', /\/dev\/null is not a directory/],
  ])('%s is refused at once', (dir, message) => {
    expect(() => ensureDir(dir, 'state directory')).toThrow(StatePathError);
    expect(() => ensureDir(dir, 'state directory')).toThrow(message);
  });

  it('an audit file that is a directory is refused', () => {
    expect(() => checkWritable('/tmp', 'audit log')).toThrow(/audit log: \/tmp is not a regular/);
  });
});

describe('terminal loss', () => {
  it.each([
    ['end of input', (s: PassThrough) => s.end(), /end of input/],
    [
      'EIO on read',
      (s: PassThrough) => s.emit('error', Object.assign(new Error('read EIO'), { code: 'EIO' })),
      /EIO/,
    ],
  ])('%s counts as a hang-up, once', async (_name, lose, why) => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const lost = vi.fn();
    watchTerminal(stdin as never, [stdout as never], lost);
    lose(stdin);
    stdin.resume();
    await vi.waitFor(() => expect(lost).toHaveBeenCalled());
    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(lost).toHaveBeenCalledTimes(1);
    expect(lost.mock.calls[0]![0]).toMatch(why);
  });

  it('other errors are not a hang-up', () => {
    const stdin = new PassThrough();
    const lost = vi.fn();
    watchTerminal(stdin as never, [], lost);
    stdin.emit('error', Object.assign(new Error('nope'), { code: 'EINVAL' }));
    expect(lost).not.toHaveBeenCalled();
  });
});
