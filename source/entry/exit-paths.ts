import type { ChaosController, UndoSummary } from '../chaos/controller.js';
import { faultSummary } from '../format/fault-lines.js';
import { summaryLines } from './restore.js';
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
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

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
      this.summary = await this.o.chaos.close();
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
    for (const line of this.stillActive()) write(line);
    const status = this.summary?.failed.length ? 1 : code;
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
