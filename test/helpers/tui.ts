import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll } from 'vitest';
import { waitFor, waitLabConverged } from './lab.js';

let sessions = 0;

/** The built console in a real terminal (tmux), driven by keys like a person would. */
export class Tui {
  readonly session = `chaosdeck-test-${process.pid}-${sessions++}`;
  readonly stateHome: string;
  pid = 0;

  constructor(stateHome?: string) {
    this.stateHome = stateHome ?? mkdtempSync(join(tmpdir(), 'chaosdeck-tui-'));
  }

  /** Starts `node dist/cli.js ARGS` at the given size and waits for the first live frame. */
  async start(args: string[], size = { columns: 120, rows: 40 }): Promise<this> {
    const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    // exec: the pane's process is the console itself, so signals go straight to it.
    const command = `cd ${process.cwd()} && XDG_STATE_HOME=${this.stateHome} exec node dist/cli.js ${quoted} 2>${this.stateHome}/stderr`;
    // tmux's server exits with its last session; a new session at that moment can fail: retry.
    await waitFor(
      'tmux to start the console',
      async () => {
        const r = await execa(
          'tmux',
          [
            'new-session',
            '-d',
            '-s',
            this.session,
            '-x',
            String(size.columns),
            '-y',
            String(size.rows),
            command,
          ],
          { reject: false },
        );
        return r.exitCode === 0;
      },
      10_000,
      200,
    );
    await execa('tmux', ['set-option', '-t', this.session, 'remain-on-exit', 'on']);
    this.pid = Number(
      (await execa('tmux', ['display-message', '-p', '-t', this.session, '#{pane_pid}'])).stdout,
    );
    await this.waitScreen(/● live/);
    await this.waitScreen(/lab_worker/);
    return this;
  }

  /**
   * Sends keys (tmux key names, e.g. Enter, Escape) or literal text with { literal: true }.
   * Escape goes on its own with a pause after it, as a person types it: Escape straight
   * followed by a letter is Alt+letter to a terminal program.
   */
  async keys(keys: string[], options: { literal?: boolean } = {}): Promise<void> {
    if (options.literal) {
      await execa('tmux', ['send-keys', '-t', this.session, '-l', ...keys]);
      return;
    }
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length > 0) await execa('tmux', ['send-keys', '-t', this.session, ...batch]);
      batch = [];
    };
    for (const key of keys) {
      if (key !== 'Escape') {
        batch.push(key);
        continue;
      }
      await flush();
      await execa('tmux', ['send-keys', '-t', this.session, 'Escape']);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await flush();
  }

  /** The screen as text. */
  async screen(): Promise<string> {
    return (await execa('tmux', ['capture-pane', '-p', '-t', this.session])).stdout;
  }

  /** Waits until the screen matches; on timeout the error shows the last screen. */
  async waitScreen(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    let last = '';
    try {
      return await waitFor(
        `the screen to show ${pattern}`,
        async () => {
          last = await this.screen();
          return pattern.test(last) ? last : undefined;
        },
        timeoutMs,
        50,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- screen ---\n${last}\n--------------`);
    }
  }

  /** True once the console process has exited (tmux may not have reaped it yet: ask tmux). */
  async exited(): Promise<boolean> {
    const r = await execa('tmux', ['display-message', '-p', '-t', this.session, '#{pane_dead}'], {
      reject: false,
    });
    return r.exitCode !== 0 || r.stdout.trim() === '1';
  }

  /** Waits until the console process has exited and returns its exit status as tmux saw it. */
  async waitExit(timeoutMs = 30_000): Promise<number> {
    await waitFor('the console to exit', () => this.exited(), timeoutMs, 50);
    return Number(
      (await execa('tmux', ['display-message', '-p', '-t', this.session, '#{pane_dead_status}']))
        .stdout,
    );
  }

  async stop(): Promise<void> {
    await execa('tmux', ['kill-session', '-t', this.session]).catch(() => undefined);
  }
}

/**
 * For a describe() that drives the console: builds it once, and after each case closes the
 * terminal and runs `chaosdeck restore` on its state, so a failed case leaves nothing behind.
 * Returns a holder for the case's console.
 */
export function consoleCases(): { tui: Tui | undefined } {
  const holder: { tui: Tui | undefined } = { tui: undefined };
  beforeAll(async () => {
    await execa('npm', ['run', '-s', 'build']);
    await waitLabConverged();
  });
  afterEach(async () => {
    const tui = holder.tui;
    holder.tui = undefined;
    if (!tui) return;
    await tui.stop();
    await execa('node', ['dist/cli.js', 'restore'], {
      env: { XDG_STATE_HOME: tui.stateHome },
      reject: false,
    });
  });
  return holder;
}
