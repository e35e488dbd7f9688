import type { HelperLine, HelperSubscription } from './helper-stream.js';

/** Starts a long-running command whose lines come back until stopped or ended. */
export type StartStream = (
  command: string[],
  onLines: (lines: HelperLine[]) => void,
  onEnd: (error?: Error) => void,
) => Promise<HelperSubscription>;

/** What a followed command has said so far. */
export interface LatestAnswer {
  /** Its latest accepted line. */
  line?: string;
  /** Its latest line on stderr (why it ended, often). */
  said?: string;
  /** Why it could not start or broke off. */
  error?: Error;
}

interface Entry extends LatestAnswer {
  sub?: HelperSubscription;
  askedAt: number;
  endedAt?: number;
  waiters: (() => void)[];
}

// An ended command's answer stands this long before the next question starts it again.
const ENDED_STANDS_MS = 10_000;
const FIRST_LINE_MS = 35_000;

/**
 * Long-running commands (a helper task per container) whose latest line answers repeated
 * questions: the first question starts one and waits for its first line, later ones read the
 * latest at once. One not asked for `idleMs` is stopped, and close() stops every one.
 */
export class LatestLines {
  private readonly entries = new Map<string, Entry>();
  private reaper: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly start: StartStream,
    private readonly idleMs = 20_000,
  ) {}

  /** The latest line of `command` that `accept` takes, starting the command when needed. */
  async latest(
    key: string,
    command: string[],
    accept: (line: HelperLine) => boolean,
  ): Promise<LatestAnswer> {
    const now = Date.now();
    let entry = this.entries.get(key);
    if (entry?.endedAt !== undefined && now - entry.endedAt > ENDED_STANDS_MS) {
      this.entries.delete(key);
      entry = undefined;
    }
    if (!entry) entry = this.open(key, command, accept);
    entry.askedAt = now;
    if (entry.line === undefined && entry.endedAt === undefined) {
      const waiting = entry;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FIRST_LINE_MS);
        waiting.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return { line: entry.line, said: entry.said, error: entry.error };
  }

  /** Stops every command; settles once each is gone. */
  async close(): Promise<void> {
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = undefined;
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      // A question still waiting for a first line gets its answer: there will be none.
      entry.error ??= new Error('chaosdeck is ending');
      entry.waiters.splice(0).forEach((wake) => wake());
    }
    await Promise.all(entries.map((entry) => entry.sub?.stop()));
  }

  private open(key: string, command: string[], accept: (line: HelperLine) => boolean): Entry {
    const entry: Entry = { askedAt: Date.now(), waiters: [] };
    this.entries.set(key, entry);
    const wake = () => entry.waiters.splice(0).forEach((w) => w());
    const ended = (error?: Error) => {
      entry.endedAt = Date.now();
      if (error) entry.error = error;
      wake();
    };
    this.start(
      command,
      (lines) => {
        for (const line of lines) {
          if (accept(line)) entry.line = line.text;
          else if (line.stream === 'stderr' && line.text.trim()) entry.said = line.text.trim();
        }
        if (entry.line !== undefined) wake();
      },
      ended,
    ).then(
      (sub) => {
        if (this.entries.get(key) === entry) entry.sub = sub;
        else void sub.stop();
      },
      (error: unknown) => ended(error as Error),
    );
    this.reaper ??= setInterval(() => this.reap(), 5000);
    this.reaper.unref?.();
    return entry;
  }

  private reap(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries)
      if (now - entry.askedAt > this.idleMs) {
        void entry.sub?.stop();
        this.entries.delete(key);
      }
    if (this.entries.size === 0 && this.reaper) {
      clearInterval(this.reaper);
      this.reaper = undefined;
    }
  }
}
