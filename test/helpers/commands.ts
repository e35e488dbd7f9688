import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { LABW1 } from './chaos-lab.js';

/** One scripted game day: its own state directory and journal, the built CLI. */
export class Script {
  readonly stateHome = mkdtempSync(join(tmpdir(), 'chaosdeck-cmd-'));
  readonly journal = join(this.stateHome, 'day.jsonl');

  /** Runs `chaosdeck ARGS --journal <this day's>` and returns what a shell script would see. */
  run(args: string[], options: { journal?: boolean; timeoutMs?: number } = {}) {
    return execa(
      'node',
      [
        'dist/cli.js',
        ...args,
        ...(options.journal === false ? [] : ['--journal', this.journal]),
        '--node',
        `labw1=${LABW1}`,
      ],
      {
        reject: false,
        env: { XDG_STATE_HOME: this.stateHome, CI: 'true' },
        timeout: options.timeoutMs ?? 110_000,
      },
    );
  }

  /** Starts a command without waiting for it (for checks while it holds a fault). */
  start(args: string[], options: { timeoutMs?: number } = {}) {
    return execa('node', ['dist/cli.js', ...args, '--journal', this.journal], {
      reject: false,
      env: { XDG_STATE_HOME: this.stateHome },
      timeout: options.timeoutMs ?? 110_000,
    });
  }
}
