import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, it } from 'vitest';
import { LABW1 } from '../helpers/chaos-lab.js';
import { describeLab, waitFor } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';
import {
  isPaused,
  pauseWorker,
  ledgerOf,
  openPause,
  selectWorker,
  stderrOf,
  worker,
} from '../helpers/undo-lab.js';

const NODES = ['--node', `labw1=${LABW1}`];

/** restore on a state home, as a person would run it after a console died. */
function restore(stateHome: string, args: string[] = []) {
  return execa('node', ['dist/cli.js', 'restore', ...NODES, ...args], {
    env: { XDG_STATE_HOME: stateHome },
    reject: false,
    timeout: 30_000,
  });
}

describeLab('undo always runs', () => {
  const cases = consoleCases();
  // A second console, for the cases that need two; stopped and restored like the first.
  let second: Tui | undefined;
  afterEach(async () => {
    if (!second) return;
    await second.stop();
    await restore(second.stateHome);
    second = undefined;
  });

  it.each([
    [['--audit', '/proc/forbidden/x'], '', /audit log: cannot create \/proc\/forbidden \(ENOENT\)/],
    [[], 'XDG_STATE_HOME=/proc/forbidden', /state directory: cannot create \/proc\/forbidden/],
    [['--audit', '/etc/passwd/x'], '', /audit log: \/etc\/passwd is not a directory/],
  ])('an unusable state path %j %s is refused at start, with no hang', async (args, env, why) => {
    const tui = (cases.tui = await new Tui().start(args, undefined, { env, waitLive: false }));
    expect(await tui.waitExit(10_000)).toBe(2);
    expect(stderrOf(tui)).toMatch(why);
    const r = await execa('node', ['dist/cli.js', 'restore', ...args], {
      env: { XDG_STATE_HOME: env ? env.split('=')[1] : tui.stateHome },
      reject: false,
      timeout: 30_000,
    });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/audit log: cannot create|audit log: \/etc|state directory/);
  });

  it('two consoles of one user, 25 rounds of pause and undo at the same moment: the ledger matches docker inspect after every step, and SIGKILL of both then restore leaves nothing', async () => {
    const home = new Tui().stateHome;
    const a = (cases.tui = await new Tui(home).start(['--yes', ...NODES]));
    const b = (second = await new Tui(home).start(['--yes', ...NODES]));
    const [wa, wb] = [await worker('labw1'), await worker('vm')];
    await selectWorker(a, 'labw1');
    await selectWorker(b, 'vm');
    const both = [a, b];
    const expectLedger = (entries: string[]) =>
      waitFor(
        `the ledger to list ${entries.join(', ') || 'nothing'}`,
        () => JSON.stringify(ledgerOf(home)) === JSON.stringify([...entries].sort()),
        5_000,
      );
    const active = [wa, wb].map((w) => `${w.containerId.slice(0, 12)} active`);
    for (let round = 1; round <= 25; round++) {
      await Promise.all(both.map(openPause));
      await Promise.all(both.map((t) => t.keys(['Enter'])));
      await waitFor(
        `round ${round}: both paused`,
        async () => (await isPaused(wa)) && isPaused(wb),
      );
      await expectLedger(active);
      await Promise.all(both.map((t) => t.waitScreen(/Active faults 1/)));
      await Promise.all(both.map((t) => t.keys(['u'])));
      await waitFor(
        `round ${round}: both unpaused`,
        async () => !(await isPaused(wa)) && !(await isPaused(wb)),
      );
      await expectLedger([]);
      await Promise.all(both.map((t) => t.waitScreen(/undo: 1 undone/)));
    }
    await Promise.all(both.map(openPause));
    await Promise.all(both.map((t) => t.keys(['Enter'])));
    await waitFor('both paused', async () => (await isPaused(wa)) && isPaused(wb));
    await expectLedger(active);
    for (const t of both) process.kill(t.pid, 'SIGKILL');
    await Promise.all(both.map((t) => t.waitExit()));
    const r = await restore(home);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.match(/undone: pause/g)).toHaveLength(2);
    expect(await isPaused(wa)).toBe(false);
    expect(await isPaused(wb)).toBe(false);
    expect(ledgerOf(home)).toEqual([]);
  }, 300_000);

  it('a signal 0–100 ms after confirming a pause or CPU fault, 50 trials: nothing stays applied', async () => {
    const w = await worker('vm');
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (let trial = 0; trial < Number(process.env.TRIALS ?? 50); trial++) {
      const signal = signals[trial % 3]!;
      const tui = (cases.tui = await new Tui().start(['--yes', ...NODES]));
      await selectWorker(tui, 'vm');
      await openPause(tui);
      await tui.keys(['Enter']);
      // The point of the test: a signal at a chosen moment while the fault is in flight.
      await new Promise((resolve) => setTimeout(resolve, (trial * 2) % 101));
      process.kill(tui.pid, signal);
      const code = await tui.waitExit();
      const paused = await isPaused(w);
      const left = ledgerOf(tui.stateHome);
      expect({ trial, signal, code, paused, left }).toEqual({
        trial,
        signal,
        code: 128 + { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal],
        paused: false,
        left: [],
      });
      await tui.stop();
      cases.tui = undefined;
    }
  }, 600_000);

  // 700 h (29 days) is past what one timer holds (24.8 days) and within the 30-day cap.
  it('a 700h pause is still paused 10 s later, and q undoes it', async () => {
    const w = await worker('vm');
    const tui = (cases.tui = await new Tui().start(['--yes', ...NODES]));
    await selectWorker(tui, 'vm');
    await openPause(tui);
    await tui.keys(['700h'], { literal: true });
    await tui.keys(['Enter']);
    await tui.waitScreen(/pause for 700h on lab_worker\.vm/);
    await waitFor('the pause', () => isPaused(w));
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      expect(await isPaused(w)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await tui.screen()).toMatch(/pause for 700h on lab_worker\.vm @ vm · 29d left/);
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    expect(await isPaused(w)).toBe(false);
  });

  it('a malformed ledger entry is named and ignored; the console answers keys and restore reports it', async () => {
    const home = new Tui().stateHome;
    mkdirSync(join(home, 'chaosdeck'), { recursive: true });
    writeFileSync(
      join(home, 'chaosdeck', 'ledger.json'),
      '{"version":1,"faults":[{"kind":"pause"}]}',
    );
    const tui = (cases.tui = await new Tui(home).start([...NODES]));
    await tui.waitScreen(/ignored 1 unreadable ledger entry \(#1: id: /);
    await tui.keys(['?']);
    await tui.waitScreen(/filter services/);
    await tui.keys(['?']);
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    expect(stderrOf(tui)).not.toMatch(/Invalid time value|TypeError/);
    const r = await restore(home);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/ledger entry 1 of .*ledger\.json ignored \(id: .*\): it stays/);
  });

  it.each([['{"faults":"x"}'], ['{}'], ['[]'], ['null'], ['{"version":1,"faults":[']])(
    'a ledger file of the wrong shape %s is refused by the console and by restore',
    async (text) => {
      const home = new Tui().stateHome;
      mkdirSync(join(home, 'chaosdeck'), { recursive: true });
      writeFileSync(join(home, 'chaosdeck', 'ledger.json'), text);
      const tui = (cases.tui = await new Tui(home).start([], undefined, { waitLive: false }));
      expect(await tui.waitExit(10_000)).toBe(2);
      expect(stderrOf(tui)).toMatch(/the fault ledger .*ledger\.json (is not|is not valid)/);
      const r = await restore(home);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/fix it, or move it aside/);
      expect(r.stdout).not.toMatch(/nothing to restore/);
    },
  );

  it('a pane closed under a shell that ignores SIGHUP: the console undoes, exits 129, no native stack', async () => {
    const w = await worker('vm');
    const tui = (cases.tui = await new Tui().start(['--yes', ...NODES], undefined, {
      ignoreHup: true,
    }));
    await pauseWorker(tui, w);
    await tui.stop();
    const code = String(await tui.waitExit());
    expect(code).toBe('129');
    expect(await isPaused(w)).toBe(false);
    expect(ledgerOf(tui.stateHome)).toEqual([]);
    expect(stderrOf(tui)).not.toMatch(/Assertion|ResetStdio|node::|Native stack/);
  });

  it('SIGHUP through a closed pane: the console undoes, records exit 129, no native stack', async () => {
    const w = await worker('vm');
    const tui = (cases.tui = await new Tui().start(['--yes', ...NODES], undefined, {
      direct: true,
    }));
    await pauseWorker(tui, w);
    await tui.stop();
    const audit = join(tui.stateHome, 'chaosdeck', 'audit.log');
    const exit = await waitFor(
      'the exit in the audit log',
      () =>
        readFileSync(audit, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { action: string; params?: { code: number; why: string } })
          .find((e) => e.action === 'exit'),
      30_000,
    );
    // The hang-up and the terminal's EIO race; either way it is a hang-up: 129.
    expect(exit.params).toMatchObject({ code: 129 });
    expect(exit.params!.why).toMatch(/ended by SIGHUP|the terminal closed/);
    expect(await isPaused(w)).toBe(false);
    expect(ledgerOf(tui.stateHome)).toEqual([]);
    expect(stderrOf(tui)).not.toMatch(/Assertion|ResetStdio|node::|Native stack/);
  });
});
