import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { inspectContainer, LABW1, targetOf } from '../helpers/chaos-lab.js';
import { createService, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, openServiceTasks, Tui } from '../helpers/tui.js';

/**
 * Watches every screen until Swarm's task list says failed (`confirmed`); returns when the row
 * first showed the engine event's cause (`fromEvent`) and when Swarm's.
 */
async function eventThenSwarm(tui: Tui, fromEvent: RegExp, confirmed: RegExp) {
  const seen: { event?: number; swarm?: number } = {};
  await waitFor(
    "Swarm's task list to say failed",
    async () => {
      const screen = await tui.screen();
      seen.event ??= fromEvent.test(screen) ? Date.now() : undefined;
      return confirmed.test(screen) && (seen.swarm = Date.now());
    },
    20_000,
    5,
  );
  return seen;
}

// Sorts first in the services pane (before lab_*), so the console opens on it.
const HOG = 'aa_cause_hog';
// Services of its own to kill from outside (on the manager, on the worker): other files hold
// faults on lab_api and lab_worker tasks meanwhile.
const KILLED = 'aa_cause_kill';
const WORKER_KILLED = 'aa_cause_wkill';

describeLab('why a task ended, on screen', () => {
  const cases = consoleCases();
  const state = mkdtempSync(join(tmpdir(), 'chaosdeck-cause-'));
  const chaosdeck = (args: string[]) =>
    execa('node', ['dist/cli.js', ...args], { reject: false, env: { XDG_STATE_HOME: state } });

  beforeAll(async () => {
    await docker(['service', 'rm', HOG]).catch(() => undefined);
    // ~40 MB held in a shell variable: fine under 128M, killed by the OOM killer under 20m.
    await createService(
      HOG,
      ['--constraint', 'node.role==manager', '--limit-memory', '128M', '--restart-delay', '2s'],
      [
        'sh',
        '-c',
        // The OOM killer may pick `tr` or `head` rather than the shell: a short string ends it too.
        'x=$(head -c 40000000 /dev/zero | tr "\\0" a); [ ${#x} -eq 40000000 ] || exit 137; sleep 86400',
      ],
    );
    for (const [name, node] of [
      [KILLED, 'node.role==manager'],
      [WORKER_KILLED, 'node.hostname==labw1'],
    ]) {
      await docker(['service', 'rm', name!]).catch(() => undefined);
      await createService(name!, ['--constraint', node!], ['sleep', '86400']);
    }
    await targetOf(HOG);
  });
  afterEach(() => chaosdeck(['undo']));
  afterAll(async () => {
    await docker(['service', 'rm', HOG, KILLED, WORKER_KILLED]).catch(() => undefined);
    await waitLabConverged();
  });

  it('a memory squeeze it cannot live in: the rows say OOM killed, and docker inspect agrees', async () => {
    const tui = (cases.tui = await new Tui().start([]));
    await tui.keys(['Enter']);
    await tui.waitScreen(new RegExp(`▸ Tasks of ${HOG}`));
    const squeeze = await chaosdeck(['memory', HOG, '--scope', 'service', '--memory', '20m']);
    expect(squeeze.exitCode, squeeze.stderr).toBe(0);
    const screen = await tui.waitScreen(/aa_cause_hog\.1 .*failed .*137\s+OOM killed/, 60_000);
    expect(screen).toMatch(/CAUSE/);
    // Swarm paused the update (its failure action): the pane says so, with Swarm's reason.
    const paused = await tui.waitScreen(
      /Tasks of aa_cause_hog \(\d+\) · update paused: update paused due to/,
      60_000,
    );
    expect(await docker(['service', 'inspect', HOG, '--format', '{{.UpdateStatus.State}}'])).toBe(
      'paused',
    );
    expect(paused).toBeTruthy();
    const dead = (
      await docker([
        'ps',
        '-aq',
        '--filter',
        `label=com.docker.swarm.service.name=${HOG}`,
        '--filter',
        'status=exited',
      ])
    ).split('\n');
    const oom = await Promise.all(dead.map((id) => inspectContainer(id, '{{.State.OOMKilled}}')));
    expect(oom).toContain('true');
  });

  it('docker kill from outside: the row changes from the event first, then Swarm confirms who, with the signal', async () => {
    const tui = (cases.tui = await new Tui().start([]));
    await openServiceTasks(tui, KILLED);
    const victim = await targetOf(KILLED);
    // Every screen from the kill on, until Swarm's task list says failed.
    const fromEvent = /aa_cause_kill\.1 .*failed .*137\s+event: killed from outside/;
    const confirmed = /aa_cause_kill\.1 .*failed .*137\s+killed from outside \(SIGKILL\)/;
    await docker(['kill', victim.containerId]);
    const seen = await eventThenSwarm(tui, fromEvent, confirmed);
    expect(
      seen.event,
      'the row changed from the die event before the task list said so',
    ).toBeDefined();
    expect(seen.event!).toBeLessThan(seen.swarm!);
    expect(await inspectContainer(victim.containerId, '{{.State.OOMKilled}}')).toBe('false');
    await waitFor(
      'the replacement',
      async () => (await targetOf(KILLED)).taskId !== victim.taskId,
      30_000,
    );
  });

  it("docker kill on the worker node: its own engine's kill event names who, with the signal (with --node)", async () => {
    const tui = (cases.tui = await new Tui().start(['--node', `labw1=${LABW1}`]));
    await openServiceTasks(tui, WORKER_KILLED);
    const victim = await targetOf(WORKER_KILLED, 'labw1');
    await docker(['kill', victim.containerId], LABW1);
    // Only labw1's own kill event says who and which signal: without the worker's stream the
    // row keeps Swarm's "task: non-zero exit (137)". (Whether the event or Swarm's failed state
    // reaches the screen first is a race on the worker, so it is not asserted here.)
    await tui.waitScreen(
      /aa_cause_wkill\.1\s+labw1\s+\S+\s+failed .*137\s+killed from outside \(SIGKILL\)/,
      20_000,
    );
    await waitFor(
      'the replacement',
      async () => (await targetOf(WORKER_KILLED, 'labw1')).taskId !== victim.taskId,
      30_000,
    );
  });
});
