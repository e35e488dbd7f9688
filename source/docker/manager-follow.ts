import type Dockerode from 'dockerode';
import type { Endpoint } from './endpoint.js';
import type { ManagerSwitch } from './port.js';
import { withDeadline } from './deadline.js';
import { EngineError, toEngineError } from './errors.js';

/** A manager's client, as the calls Swarm answers use it. */
export interface ManagerLink {
  docker: Dockerode;
  where: Endpoint;
  /** The manager's node name (its engine's Name), when it said. */
  name?: string;
}

// What a manager says when it cannot serve its swarm now, as opposed to "that request is wrong":
// a minority manager (or one whose raft stopped) has no leader to forward to.
const LOST =
  /does not have a leader|DeadlineExceeded|context deadline exceeded|code = Unavailable|transport|raft: stopped|proposal dropped|lost leader|failed to process the request|not a swarm manager|not part of a swarm|node is not a manager/i;

/**
 * True when a manager's failure means it cannot serve the swarm now (not: the request was wrong).
 * For a read (safe to ask again) any server error counts: a manager losing its raft says so in
 * more words than these.
 */
export function isSwarmLost(error: unknown, read = false): boolean {
  if (!(error instanceof EngineError)) return false;
  if (error.kind === 'unreachable' || error.kind === 'not-manager' || error.kind === 'not-swarm')
    return true;
  if (error.kind !== 'engine') return false;
  return LOST.test(error.message) || (read && (error.statusCode ?? 500) >= 500);
}

/** A few words on why a manager was left, for the header and the lines that say so. */
export function lostReason(error: unknown): string {
  const e = error instanceof EngineError ? error : undefined;
  if (!e) return 'it failed';
  if (/does not have a leader/i.test(e.message)) return 'no leader there';
  if (/lost leader/i.test(e.message)) return 'its raft lost the leader';
  if (/deadline/i.test(e.message) && e.kind === 'engine') return 'its raft timed out';
  if (e.kind === 'unreachable') return 'it does not answer';
  if (e.kind === 'not-manager') return 'not a manager any more';
  if (e.kind === 'not-swarm') return 'it left the swarm';
  if (e.kind === 'engine' && !LOST.test(e.message)) return `it fails (${e.statusCode ?? 'error'})`;
  return 'its swarm is lost';
}

/**
 * How long a read waits on the current manager before the others are asked: a manager cut off
 * from its swarm may hold a call until its raft gives up (~20 s); a read is safe to ask again.
 */
const READ_FIRST_MS = 5000;
/** How often the manager chaosdeck started with is asked again while another is used. */
const LOOK_HOME_MS = 2000;
/** How long a manager's name (its engine's info) is waited for when a switch is told. */
const NAME_DEADLINE_MS = 3000;
/** A look at the home manager gives up sooner than a call: it runs beside the calls. */
const LOOK_DEADLINE_MS = 5000;

/**
 * Follows the swarm through other managers: a call the current manager cannot serve (no leader
 * there, no answer) is made through the next manager that can, which becomes the current one; the
 * manager chaosdeck started with is asked again every 2 s and taken back as soon as it answers.
 * A call that failed for any other reason (not found, conflict) is not repeated elsewhere.
 */
export class ManagerFollow {
  private current = 0;
  private readonly links: (Promise<ManagerLink> | undefined)[];
  private lastLook = 0;
  private looking = false;
  private telling: Promise<void> = Promise.resolve();
  /** Each manager's client once connected (the current one always is: a call worked through it). */
  private readonly clients: (Dockerode | undefined)[];
  private readonly listeners = new Set<(s: ManagerSwitch) => void>();

  constructor(
    home: ManagerLink,
    private readonly others: Endpoint[],
    private readonly connect: (endpoint: Endpoint) => Promise<ManagerLink>,
    private readonly now: () => number = Date.now,
  ) {
    this.links = [Promise.resolve(home), ...others.map(() => undefined)];
    this.clients = [home.docker, ...others.map(() => undefined)];
  }

  /**
   * A client that is always the current manager's: for adapters that keep one for long (the
   * helpers' services), so that what they create goes where the swarm is followed.
   */
  followingClient(): Dockerode {
    return new Proxy({} as Dockerode, {
      get: (_, property) => {
        const docker = this.clients[this.current] ?? this.clients[0]!;
        const value = Reflect.get(docker, property) as unknown;
        // Its methods run on the client they belong to (dockerode's read this.modem).
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(docker)
          : value;
      },
    });
  }

  /** The endpoints of the other managers, as given. */
  get endpoints(): string[] {
    return this.others.map((e) => e.url);
  }

  /** True while calls go through another manager than the one chaosdeck started with. */
  get away(): boolean {
    return this.current !== 0;
  }

  /** The client used now (a connected one: a switch follows a call that worked through it). */
  async link(): Promise<ManagerLink> {
    return this.linkAt(this.current);
  }

  /** Tells `fn` of each switch; returns the stop function. */
  onSwitch(fn: (s: ManagerSwitch) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Runs a call through the current manager, or the first other one that can serve it. A read
   * (`read`) gives the current one 5 s before the others are asked; a write its whole deadline,
   * as a write that timed out may still be applied.
   */
  async run<T>(
    fn: (docker: Dockerode) => Promise<T>,
    deadlineMs: number,
    read = false,
  ): Promise<T> {
    if (this.current !== 0) this.lookHome();
    const first = this.current;
    try {
      return await this.attempt(first, fn, read ? Math.min(deadlineMs, READ_FIRST_MS) : deadlineMs);
    } catch (error) {
      if (!isSwarmLost(error, read)) throw error;
      for (let step = 1; step < this.links.length; step++) {
        const i = (first + step) % this.links.length;
        try {
          const value = await this.attempt(i, fn, deadlineMs);
          this.switchTo(i, error);
          return value;
        } catch (other) {
          if (isSwarmLost(other, read)) continue;
          // It answered: it serves the swarm (the request itself was refused).
          this.switchTo(i, error);
          throw other;
        }
      }
      const e = error as EngineError;
      throw new EngineError(
        e.kind,
        `${e.message}; no other manager given could serve it either (${this.endpoints.join(', ')})`,
        e.statusCode,
      );
    }
  }

  private async attempt<T>(
    i: number,
    fn: (docker: Dockerode) => Promise<T>,
    deadlineMs: number,
  ): Promise<T> {
    const link = await this.linkAt(i);
    this.clients[i] = link.docker;
    try {
      return await withDeadline(fn(link.docker), deadlineMs, link.where.url);
    } catch (error) {
      throw toEngineError(error, link.where);
    }
  }

  private linkAt(i: number): Promise<ManagerLink> {
    const known = this.links[i];
    if (known) return known;
    const made = this.connect(this.others[i - 1]!);
    this.links[i] = made;
    // A manager that could not be reached is tried afresh next time.
    made.catch(() => {
      if (this.links[i] === made) this.links[i] = undefined;
    });
    return made;
  }

  private lookHome(): void {
    const now = this.now();
    if (this.looking || now - this.lastLook < LOOK_HOME_MS) return;
    this.lastLook = now;
    this.looking = true;
    void this.attempt(0, (docker) => docker.listNodes(), LOOK_DEADLINE_MS)
      .then(
        () => this.switchTo(0),
        () => undefined,
      )
      .finally(() => {
        this.looking = false;
      });
  }

  private switchTo(i: number, error?: unknown): void {
    const was = this.current;
    if (i === was) return;
    // Set at once: calls made meanwhile go the new way; the call that switched does not wait
    // for the switch to be told (a name may have to be asked), and switches are told in order.
    this.current = i;
    const at = this.now();
    this.telling = this.telling.then(async () => {
      const [from, to] = await Promise.all([this.named(was), this.named(i)]);
      const s: ManagerSwitch = {
        from: from.name ?? from.where.url,
        to: to.name ?? to.where.url,
        endpoint: to.where.url,
        home: i === 0,
        ...(error ? { reason: lostReason(error) } : {}),
        at,
      };
      for (const fn of this.listeners) fn(s);
    });
    // A listener that throws must not silence every later switch (the chain would stay rejected).
    this.telling = this.telling.catch(() => undefined);
  }

  /** A link with its manager's node name, asked again when its connection could not tell it. */
  private async named(i: number): Promise<ManagerLink> {
    const link = await this.linkAt(i);
    // A manager connected during an election may not have said its name then: it serves now.
    if (!link.name) {
      const info = (await withDeadline(link.docker.info(), NAME_DEADLINE_MS, link.where.url).catch(
        () => undefined,
      )) as { Name?: string } | undefined;
      if (info?.Name) link.name = info.Name;
    }
    return link;
  }
}
