import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll } from 'vitest';
import { waitFor, waitLabConverged } from './lab.js';

let sessions = 0;

/**
 * Where the cursors are: the numbers of the lines that start with ›, and each pane's scroll marks
 * (ages change, rows and marks do not). A pane longer than its box scrolls to keep its cursor on
 * one line, so there a move shows only in the marks (`↑ 1 more` → `↑ 2 more`).
 */
function cursorLines(screen: string): string {
  const lines = screen.split('\n');
  const cursors = lines.flatMap((line, i) => (line.startsWith('›') ? [i] : []));
  const marks = lines.flatMap((line) => line.match(/[↑↓] \d+ more/g) ?? []);
  return `${cursors.join(',')} ${marks.join(',')}`;
}

function selected(screen: string, row: RegExp): boolean {
  return screen.split('\n').some((line) => line.startsWith('›') && row.test(line));
}

/** The first node process under `pid`: its child, or a wrapper's (runuser) child. */
async function nodeBelow(pid: number): Promise<number | undefined> {
  const direct = await execa('pgrep', ['-P', String(pid), '-x', 'node'], { reject: false });
  if (direct.exitCode === 0) return Number(direct.stdout.split('\n')[0]);
  const children = await execa('pgrep', ['-P', String(pid)], { reject: false });
  for (const child of children.stdout.split('\n').filter(Boolean)) {
    const r = await execa('pgrep', ['-P', child, '-x', 'node'], { reject: false });
    if (r.exitCode === 0) return Number(r.stdout.split('\n')[0]);
  }
  return undefined;
}

/** The first child process of `pid`. */
async function childOf(pid: number): Promise<number | undefined> {
  const r = await execa('pgrep', ['-P', String(pid)], { reject: false });
  return r.exitCode === 0 ? Number(r.stdout.split('\n')[0]) : undefined;
}

/** The built console in a real terminal (tmux), driven by keys like a person would. */
export class Tui {
  readonly session = `chaosdeck-test-${process.pid}-${sessions++}`;
  readonly stateHome: string;
  pid = 0;

  constructor(stateHome?: string) {
    this.stateHome = stateHome ?? mkdtempSync(join(tmpdir(), 'chaosdeck-tui-'));
    this.exitFile = join(this.stateHome, `exit-code-${this.session}`);
  }

  /** Where the shell around the console writes its exit status. */
  readonly exitFile: string;

  /** Starts `node dist/cli.js ARGS` at the given size and waits for the first live frame. */
  async start(
    args: string[],
    size = { columns: 120, rows: 40 },
    options: {
      ignoreHup?: boolean;
      direct?: boolean;
      env?: string;
      waitLive?: boolean;
      /** A command the console runs under, e.g. `runuser -u USER -- env HOME=…`. */
      wrap?: string;
      /**
       * The program in place of `node dist/cli.js` (the single executable, or `docker run … IMAGE`);
       * `pid` is then that program's process (for docker run: the docker client).
       */
      program?: string;
    } = {},
  ): Promise<this> {
    const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    // The watchdog and helper images as the test process has them (a tmux server started
    // elsewhere does not pass them on).
    const images = ['CHAOSDECK_WATCHDOG_IMAGE', 'CHAOSDECK_HELPER_IMAGE']
      .filter((k) => process.env[k])
      .map((k) => `${k}=${process.env[k]}`)
      .join(' ');
    const env = `XDG_STATE_HOME=${this.stateHome} ${images} ${options.env ?? ''}`;
    const program =
      options.program ??
      `${options.wrap ? `${options.wrap} ${process.execPath}` : 'node'} dist/cli.js`;
    const run = `${program} ${quoted} 2>${this.stateHome}/stderr`;
    // A shell runs the console in the foreground and writes its exit status to a file (tmux's
    // own pane_dead_status is not always filled in). With ignoreHup the shell ignores SIGHUP, so
    // closing the pane sends the console no signal at all: only its terminal goes away.
    // With direct the console is the pane's own process (no exit status on file): closing the
    // pane hangs up its terminal and the kernel sends it SIGHUP.
    const command = options.direct
      ? `cd ${process.cwd()} && ${env} exec ${run}`
      : `cd ${process.cwd()} && ${options.ignoreHup ? "trap '' HUP;" : ''} ${env} ${run}; echo $? > ${this.exitFile}`;
    // tmux's server exits with its last session; a new session at that moment can fail: retry.
    // remain-on-exit is set in the same tmux command, before the server reaps anything: a
    // console that exits at once (a refused start) still leaves its status to read.
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
            ';',
            'set-option',
            '-t',
            this.session,
            'remain-on-exit',
            'on',
          ],
          { reject: false },
        );
        return r.exitCode === 0;
      },
      10_000,
      200,
    );
    const shell = Number(
      (await execa('tmux', ['display-message', '-p', '-t', this.session, '#{pane_pid}'])).stdout,
    );
    // Signals go to the console itself, the shell's child.
    this.pid = options.direct
      ? shell
      : await waitFor(
          'the console process',
          async () => {
            const node = options.program ? await childOf(shell) : await nodeBelow(shell);
            if (node) return node;
            return existsSync(this.exitFile) ? -1 : undefined;
          },
          10_000,
          20,
        );
    if (options.waitLive === false) return this;
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

  /** True once the console process has exited. */
  async exited(): Promise<boolean> {
    return existsSync(this.exitFile) && readFileSync(this.exitFile, 'utf8').trim() !== '';
  }

  /** Waits until the console process has exited and returns its exit status. */
  async waitExit(timeoutMs = 30_000): Promise<number> {
    await waitFor('the console to exit', () => this.exited(), timeoutMs, 50);
    return Number(readFileSync(this.exitFile, 'utf8').trim());
  }

  /** Moves the cursor down until the selected row matches (at most `max` moves). */
  async select(row: RegExp, max = 16): Promise<void> {
    let screen = await this.screen();
    for (let i = 0; i < max; i++) {
      if (selected(screen, row)) {
        // A key still on its way would move the cursor on: the row counts once it stays.
        await new Promise((resolve) => setTimeout(resolve, 150));
        screen = await this.screen();
        if (selected(screen, row)) return;
      }
      const before = screen;
      // Towards the row: down while it is below the cursor (or not on screen yet), else up.
      const lines = screen.split('\n');
      const cursor = lines.reduce((last, l, n) => (l.startsWith('›') ? n : last), -1);
      const target = lines.findIndex((l) => row.test(l));
      await this.keys([target >= 0 && target < cursor ? 'k' : 'j']);
      // The clock and the task ages change the screen too: only the cursor lines count.
      screen = await waitFor(
        'the cursor to move',
        async () => {
          const now = await this.screen();
          return cursorLines(now) !== cursorLines(before) ? now : undefined;
        },
        5_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; looking for ${row}\n${before}`);
      });
    }
    if (!selected(screen, row)) throw new Error(`no row ${row} to select\n${screen}`);
  }

  async stop(): Promise<void> {
    await execa('tmux', ['kill-session', '-t', this.session]).catch(() => undefined);
  }
}

/**
 * For a describe() that drives the console: builds it once, and after each case closes the
 * terminal and runs `chaosdeck restore` on its state (with `restoreArgs`: what restore needs to
 * reach the faults, e.g. the helper flags), so a failed case leaves nothing behind.
 * Returns a holder for the case's console.
 */
export function consoleCases(restoreArgs: string[] = []): { tui: Tui | undefined } {
  const holder: { tui: Tui | undefined } = { tui: undefined };
  beforeAll(async () => {
    // The bundle only: the test command checked the types already.
    await execa('node', ['scripts/bundle.mjs']);
    await waitLabConverged();
  });
  afterEach(async () => {
    const tui = holder.tui;
    holder.tui = undefined;
    if (!tui) return;
    await tui.stop();
    await execa('node', ['dist/cli.js', 'restore', ...restoreArgs], {
      env: { XDG_STATE_HOME: tui.stateHome },
      reject: false,
    });
  });
  return holder;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Types `:LINE` and Enter, each step seen on screen before the next key, so a failure says which
 * step the console did not show.
 */
export async function typeCommand(tui: Tui, line: string): Promise<void> {
  await tui.keys([':']);
  await tui.waitScreen(/^:/m);
  await tui.keys([line], { literal: true });
  await tui.waitScreen(new RegExp(`^:${escapeRegex(line)}`, 'm'));
  await tui.keys(['Enter']);
}

/** Opens a service's tasks pane with `:svc NAME` once the console lists the service. */
export async function openServiceTasks(tui: Tui, service: string): Promise<void> {
  const name = escapeRegex(service);
  await tui.waitScreen(new RegExp(`^[› ] ${name} `, 'm'));
  await typeCommand(tui, `svc ${service}`);
  await tui.waitScreen(new RegExp(`▸ Tasks of ${name} `));
}
