import type Dockerode from 'dockerode';
import { EngineError } from './errors.js';
import {
  followSwarmHelper,
  type HelperLine,
  type HelperSubscription,
  type StreamOptions,
} from './helper-stream.js';

/**
 * The long-running helpers of one node, each tracked from the moment it is asked for: close()
 * waits for those still starting and removes every one; none starts after it.
 */
export class HelperStreams {
  private readonly streams = new Set<Promise<HelperSubscription | undefined>>();
  private closed = false;

  constructor(
    private readonly manager: Dockerode,
    private readonly where: StreamOptions,
  ) {}

  /** Starts `command` in a helper on the node, its lines followed until stopped or ended. */
  follow(
    command: string[],
    onLines: (lines: HelperLine[]) => void,
    onEnd: (error?: Error) => void,
  ): Promise<HelperSubscription> {
    if (this.closed) return Promise.reject(new EngineError('engine', 'chaosdeck is ending'));
    const forget = () => this.streams.delete(tracked);
    const started = followSwarmHelper(this.manager, this.where, command, onLines, (error) => {
      forget();
      onEnd(error);
    }).then((sub) => ({
      stop: () => {
        forget();
        return sub.stop();
      },
    }));
    // One that starts after close() is stopped at once: its service is removed.
    const tracked: Promise<HelperSubscription | undefined> = started.then(
      (sub) => {
        if (this.closed) void sub.stop();
        return sub;
      },
      () => (forget(), undefined),
    );
    this.streams.add(tracked);
    return started;
  }

  /** Stops every helper; settles once each is removed. */
  async close(): Promise<void> {
    this.closed = true;
    const subs = await Promise.all(this.streams);
    this.streams.clear();
    await Promise.all(subs.map((sub) => sub?.stop()));
  }
}
