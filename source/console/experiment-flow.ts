import type { DeckStore } from '../store/deck-store.js';
import type { DialogCommand, ExperimentChoice, ExperimentDialog } from '../store/dialog.js';

/** Where an experiment's progress goes while it runs. */
export interface ExperimentOutput {
  line(text: string): void;
  done(verdict: string, ok: boolean): void;
}

/** The experiments the console can run; the entry wires it to the runner and the run. */
export interface ExperimentPort {
  /** The directory `R` lists. */
  readonly dir: string;
  /** Its experiment files, each checked (a file with problems says which). */
  list(): Promise<ExperimentChoice[]>;
  /** Starts one; `halt` interrupts it (its rollbacks run, its faults are undone). */
  start(file: string, out: ExperimentOutput): { halt(): void };
}

// Lines kept of a run's progress: the pane shows the last of them.
const LINES_KEPT = 200;

/**
 * `R` in the console: list the experiments, run the chosen one on the console's run, its
 * progress and verdict in the timers pane; `!` halts it. One at a time.
 */
export class ExperimentFlow {
  private running: { halt(): void } | undefined;

  constructor(
    private readonly store: DeckStore,
    private readonly port: ExperimentPort,
  ) {}

  /** Opens the list (or says why not). */
  async open(): Promise<void> {
    const a = this.store.getState().actions;
    if (this.running) return a.setNotice('an experiment is running; ! halts it', 'warn');
    let items: ExperimentChoice[];
    try {
      items = await this.port.list();
    } catch (error) {
      return a.setNotice(`${this.port.dir}: ${(error as Error).message}`, 'bad');
    }
    if (items.length === 0)
      return a.setNotice(`no experiments (*.json, *.yaml) in ${this.port.dir}`, 'warn');
    a.setDialog({ type: 'experiments', dir: this.port.dir, items, index: 0 });
  }

  /** A key while the list is open: ↑/↓ (or j/k) choose, Enter runs, Esc closes. */
  key(dialog: ExperimentDialog, command: DialogCommand): void {
    const a = this.store.getState().actions;
    const move = (step: number) =>
      a.setDialog({
        ...dialog,
        index: (dialog.index + step + dialog.items.length) % dialog.items.length,
      });
    if (command.type === 'cancel') return a.setDialog(undefined);
    if (command.type === 'field') return move(command.step);
    if (command.type === 'edit' && (command.input === 'j' || command.input === 'k'))
      return move(command.input === 'j' ? 1 : -1);
    if (command.type === 'submit') this.run(dialog.items[dialog.index]!);
  }

  /** Halts the running experiment; false when none runs. */
  halt(): boolean {
    if (!this.running) return false;
    this.running.halt();
    this.store
      .getState()
      .actions.setNotice(
        'halting the experiment: its rollbacks run, then every fault is undone',
        'warn',
      );
    return true;
  }

  private run(choice: ExperimentChoice): void {
    const a = this.store.getState().actions;
    if (choice.problem) return a.setNotice(`${choice.file}: ${choice.problem}`, 'bad');
    a.setDialog(undefined);
    const title = choice.title ?? choice.file;
    a.setExperiment(() => ({ title, file: choice.file, lines: [], running: true }));
    a.setNotice(`experiment ${title} running (! halts it)`, 'accent');
    this.running = this.port.start(choice.file, {
      line: (text) =>
        a.setExperiment((x) => x && { ...x, lines: [...x.lines.slice(-(LINES_KEPT - 1)), text] }),
      done: (verdict, ok) => {
        this.running = undefined;
        a.setExperiment((x) => x && { ...x, running: false, verdict, ok });
        a.setNotice(`experiment: ${verdict}`, ok ? 'good' : 'bad');
      },
    });
  }
}
