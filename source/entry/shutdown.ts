/** A step of the shutdown: stop a stream, undo faults, restore the terminal. */
export type CleanupStep = () => void | Promise<void>;

/** Runs cleanups once, last registered first, whatever ended the process. */
export class Shutdown {
  private readonly steps: { name: string; step: CleanupStep }[] = [];
  private running: Promise<void> | undefined;

  /** Registers a step; steps run in reverse order of registration. */
  add(name: string, step: CleanupStep): void {
    this.steps.push({ name, step });
  }

  /** Runs every step (each failure reported, none skipped); later calls wait for the first. */
  run(report: (name: string, error: unknown) => void = () => undefined): Promise<void> {
    this.running ??= (async () => {
      for (const { name, step } of [...this.steps].reverse()) {
        try {
          await step();
        } catch (error) {
          report(name, error);
        }
      }
    })();
    return this.running;
  }
}
