import type { ChaosController, UndoSummary } from '../chaos/controller.js';
import type { FaultRecord } from '../domain/fault.js';
import { faultSummary } from '../faults/lines.js';
import { summaryLines } from '../commands/restore-command.js';
import type { Shutdown } from './shutdown.js';
import { detachTerminal, watchTerminal } from './terminal-loss.js';

/** What the ways out of the console need. */
export interface ExitOptions {
  shutdown: Shutdown;
  chaos: Pick<ChaosController, 'list' | 'leftovers' | 'close' | 'dispose'>;
  ledgerFile: string;
  /** Shows a line in the console (the notice). */
  notify: (text: string) => void;
  /** Keeps the exit in the record (the journal, the audit log): its status and why. */
  record?: (code: number, why: string) => void;
  /** Last lines on the way out, after the record is written (where the journal and report are). */
  farewell?: () => string[];
  /** Watch the terminal for a hang-up without a signal (the console; not a scripted command). */
  watchTerminal?: boolean;
  /** Handle INT/TERM/HUP here (false: the front end handles them, e.g. an experiment's rollbacks). */
  signals?: boolean;
  /** How long the undo on the way out may take before the exit goes on without it (ms). */
  undoDeadlineMs?: number;
}

/** The undo on the way out ends within this, whatever the engine does (15 s). */
export const UNDO_ON_EXIT_MS = 15_000;

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/** True when `promise` settled within `ms`. */
function endsWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(done, done);
  });
}

/**
 * Every way out of the console, in one place: quit, INT/TERM/HUP, a terminal that goes away
 * without a signal (129), a crash (70). Each runs the shutdown once — faults undone first — and
 * exits only after it; a second signal meanwhile is answered with "please wait", a third forces
 * the exit (the ledger still lists what was not undone).
 */
export class ExitPaths {
  private exiting = false;
  private extraSignals = 0;
  private summary: UndoSummary | undefined;
  /** Faults whose undo had not ended by the deadline (the engine did not answer). */
  private unfinished: FaultRecord[] = [];

  constructor(private readonly o: ExitOptions) {}

  /** Hooks signals, terminal loss and crashes to finish(). */
  install(): void {
    if (this.o.signals !== false)
      for (const [signal, n] of Object.entries(SIGNALS))
        process.on(signal, () => void this.finish(128 + n, `ended by ${signal}`));
    // Writes to a terminal that is gone fail; the undo must still run.
    process.stdout.on('error', () => undefined);
    process.stderr.on('error', () => undefined);
    if (this.o.watchTerminal !== false)
      this.o.shutdown.add(
        'terminal-watch',
        watchTerminal(
          process.stdin,
          [process.stdout, process.stderr],
          (why) => void this.finish(129, why),
        ),
      );
    process.on('uncaughtException', (error) => void this.finish(70, `crashed: ${error.message}`));
    process.on('unhandledRejection', (error) => void this.finish(70, `crashed: ${String(error)}`));
  }

  /** Registers the undo of every fault; call last, so it runs first on the way out. */
  undoOnExit(): void {
    this.o.shutdown.add('faults', async () => {
      const held = this.o.chaos.list().length;
      if (held > 0) this.o.notify(`undoing ${held} fault(s)…`);
      // Bounded: an engine that hangs must not hold the way out (the ledger keeps the rest).
      const ms = this.o.undoDeadlineMs ?? UNDO_ON_EXIT_MS;
      const ended = await endsWithin(
        this.o.chaos.close().then((summary) => (this.summary = summary)),
        ms,
      );
      if (!ended) this.unfinished = [...this.o.chaos.list()];
      this.o.chaos.dispose();
    });
  }

  /** Runs the shutdown and exits with `code` (1 when an undo failed). */
  async finish(code: number, message?: string): Promise<void> {
    if (this.exiting) return this.again(code);
    this.exiting = true;
    const write = (line: string) => process.stderr.write(`chaosdeck: ${line}\n`);
    await this.o.shutdown.run((name, error) => write(`cleanup ${name} failed: ${String(error)}`));
    // A terminal that is gone must not be touched again, by us or by Node on its way out.
    detachTerminal();
    if (message) write(message);
    for (const line of this.summary ? summaryLines(this.summary) : []) write(line);
    for (const line of this.unfinishedLines()) write(line);
    for (const line of this.stillActive()) write(line);
    const status = this.summary?.failed.length || this.unfinished.length ? 1 : code;
    this.o.record?.(status, message ?? 'quit');
    try {
      for (const line of this.o.farewell?.() ?? []) write(line);
    } catch (error) {
      write((error as Error).message);
    }
    process.exit(status);
  }

  private again(code: number): void {
    const left = this.o.chaos.list().length;
    if (++this.extraSignals < 2 || left === 0) {
      this.o.notify(`undoing ${left} fault(s), please wait…`);
      return;
    }
    detachTerminal();
    process.stderr.write(
      `chaosdeck: forced exit with ${left} fault(s) maybe still active; they are in ${this.o.ledgerFile}: chaosdeck restore undoes them\n`,
    );
    process.exit(code);
  }

  /** Faults whose undo did not end in time: what is left, where, and the command that ends it. */
  private unfinishedLines(): string[] {
    if (this.unfinished.length === 0) return [];
    const seconds = (this.o.undoDeadlineMs ?? UNDO_ON_EXIT_MS) / 1000;
    return [
      `undo did not finish in ${seconds} s (the engine does not answer): ${this.unfinished.length} fault(s) may still be active, kept in ${this.o.ledgerFile}:`,
      ...this.unfinished.map((r) => `  ${faultSummary(r)}`),
      'chaosdeck restore undoes them once the engine answers',
    ];
  }

  /** Faults a dead chaosdeck left that are still active (the user declined to undo them). */
  private stillActive(): string[] {
    try {
      return this.o.chaos
        .leftovers()
        .map(
          (r) =>
            `STILL ACTIVE from a chaosdeck that stopped: ${faultSummary(r)} — chaosdeck restore undoes it`,
        );
    } catch (error) {
      return [(error as Error).message];
    }
  }
}
