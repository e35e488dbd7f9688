import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, it } from 'vitest';
import { inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import { describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';
import {
  faultOnWebByKeys,
  isPaused,
  pauseWorker,
  stderrOf,
  WEB_PROBE,
  worker,
} from '../helpers/undo-lab.js';
import { CTK_JOURNAL_KEYS } from '../helpers/ctk.js';

const report = (journal: string, stateHome: string, format = 'md') =>
  execa('node', ['dist/cli.js', 'report', journal, '--format', format], {
    reject: false,
    env: { XDG_STATE_HOME: stateHome },
  });

/** Waits out one lap of about `ms` on the stopwatch (space starts it, space stops it). */
async function lap(tui: Tui, ms: number) {
  await tui.keys(['Space']);
  await new Promise((resolve) => setTimeout(resolve, ms)); // the lap itself: what is being timed
  await tui.keys(['Space']);
}

describeLab('the game-day record of a console session', () => {
  const cases = consoleCases();
  afterEach(() => waitLabConverged());

  it('kill with recovery, a paused window with a probe, two laps and a note: the report has them all', async () => {
    const tui = (cases.tui = new Tui());
    const journal = join(tui.stateHome, 'day.jsonl');
    await tui.start(['--yes', '--journal', journal, ...WEB_PROBE]);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // a baseline for "before"
    const web = await targetOf('lab_web');
    await tui.keys(['j', 'j']);
    await tui.waitScreen(/› lab_web/);
    await tui.keys(['Enter']);
    await tui.waitScreen(/▸ Tasks of lab_web/);
    await faultOnWebByKeys(tui, 'x');
    await tui.waitScreen(/lab_web\.1 recovered in \d+\.\ds/, 60_000);
    await waitLabConverged();
    // A 3 s pause of the replacement, with the probe sampling through it.
    await tui.select(/lab_web\.1 +vm +running +running/);
    await faultOnWebByKeys(tui, 'p', '3s');
    await lap(tui, 400);
    // The window's end as the record has it: in CI a screen without the fault bar was captured
    // ~75 ms before the journal ended the window, and a lap started then was "during".
    await waitFor(
      'the journal to end the pause window',
      async () =>
        readFileSync(journal, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map(
            (line) =>
              JSON.parse(line) as { type: string; window?: { label: string; end?: number } },
          )
          .some((e) => e.type === 'window' && e.window?.label.startsWith('pause') && e.window.end),
      15_000,
    );
    await tui.waitScreen(/^(?![\s\S]*Active faults)/);
    await lap(tui, 600);
    await tui.keys(['N']);
    await tui.waitScreen(/note: +Enter adds it to the journal/);
    await tui.keys(['login spinner stuck'], { literal: true });
    await tui.keys(['Enter']);
    await tui.waitScreen(/note added to the journal: login spinner stuck/);
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    expect(stderrOf(tui)).toContain(`journal: ${journal}`);
    expect(stderrOf(tui)).toMatch(/report: .*day\.md/);

    const md = await report(journal, tui.stateHome);
    expect(md.exitCode, md.stderr).toBe(0);
    // The kill's phases, against Docker's own timestamps of the same tasks.
    const json = JSON.parse((await report(journal, tui.stateHome, 'json')).stdout) as {
      run: {
        output: {
          recoveries: {
            failedTaskId: string;
            replacementTaskId: string;
            phases_ms: { running: number };
            failedAt: number;
          }[];
        };
      }[];
    } & Record<string, unknown>;
    for (const key of CTK_JOURNAL_KEYS) expect(json, key).toHaveProperty(key);
    const episode = json.run[0]!.output.recoveries.find((e) => e.failedTaskId === web.taskId)!;
    const [next] = JSON.parse(await docker(['inspect', episode.replacementTaskId])) as [
      { Status: { Timestamp: string } },
    ];
    const [old] = JSON.parse(await docker(['inspect', web.taskId])) as [
      { Status: { Timestamp: string } },
    ];
    const running = Date.parse(next.Status.Timestamp) - Date.parse(old.Status.Timestamp);
    expect(Math.abs(episode.phases_ms.running - running)).toBeLessThanOrEqual(50);
    expect(md.stdout).toContain(`+${(running / 1000).toFixed(2)} s`.slice(0, -3)); // the same phase, to 0.1 s
    expect(md.stdout).toMatch(/\| 1 \| kill with SIGKILL \| lab_web\.1 \| \d+\.\d\d s \|/);
    expect(md.stdout).toMatch(/\*\*manual\*\* \(manual laps\)/);
    expect(md.stdout).toMatch(/\| 1 \| [\d:.]+ \| during \| \d+ ms \| ok \|/);
    expect(md.stdout).toMatch(/\| 2 \| [\d:.]+ \| after \| \d+ ms \| ok \|/);
    expect(md.stdout).toMatch(/\*\*web\*\* \(probe\)/);
    expect(md.stdout).toMatch(/\| during \| \d+ \| [1-9]\d* \|/); // the probe failed while paused
    expect(md.stdout).toMatch(/- \d{4}-.* root: login spinner stuck/);
  });

  it('only an outside kill that Swarm healed: on quit the report is written beside the journal', async () => {
    const tui = (cases.tui = new Tui());
    const journal = join(tui.stateHome, 'seen.jsonl');
    await tui.start(['--journal', journal]);
    const api = await targetOf('lab_api', 'vm');
    await docker(['kill', api.containerId]);
    await tui.waitScreen(
      new RegExp(`${api.slotName.replace('.', '\\.')} recovered in \\d+\\.\\ds`),
      60_000,
    );
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    expect(stderrOf(tui)).toMatch(/report: .*seen\.md/);
    // The report names the kill as the console did (its cause is in the journal), and Docker
    // agrees: the container exited 137, not by the OOM killer.
    const slot = api.slotName.replace('.', '\\.');
    expect(readFileSync(join(tui.stateHome, 'seen.md'), 'utf8')).toMatch(
      new RegExp(
        `\\| ${slot} \\| [\\d:.]+ \\| killed from outside \\(SIGKILL\\), failed, exit 137 \\|`,
      ),
    );
    expect(
      await inspectContainer(api.containerId, '{{.State.ExitCode}} {{.State.OOMKilled}}'),
    ).toBe('137 false');
  });

  it('a console killed with SIGKILL: its journal is whole up to the kill and report reads it', async () => {
    const tui = (cases.tui = new Tui());
    const journal = join(tui.stateHome, 'day.jsonl');
    await tui.start(['--yes', '--journal', journal]);
    const w = await worker('vm');
    await pauseWorker(tui, w);
    await tui.keys(['N']);
    await tui.keys(['before the kill'], { literal: true });
    await tui.keys(['Enter']);
    await tui.waitScreen(/note added/);
    process.kill(tui.pid, 'SIGKILL');
    await waitFor('the console to die', () => tui.exited(), 10_000);
    const lines = readFileSync(journal, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(
      expect.arrayContaining(['session-start', 'fault-applied', 'note']),
    );
    const md = await report(journal, tui.stateHome);
    expect(md.exitCode, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/## Experiment 1: pause on lab_worker/);
    expect(md.stdout).toContain('before the kill');
    // The pause outlived its console: restore (the ledger) undoes it.
    const r = await execa('node', ['dist/cli.js', 'restore'], {
      reject: false,
      env: { XDG_STATE_HOME: tui.stateHome },
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await isPaused(w)).toBe(false);
  });
});
