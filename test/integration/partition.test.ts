import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import { Script } from '../helpers/commands.js';
import { createService, describeLab, docker, waitFor } from '../helpers/lab.js';
import { chaosdeckInSwarm } from '../helpers/swarm-objects.js';
import { consoleCases, openServiceTasks, Tui, typeCommand } from '../helpers/tui.js';

const TC = ['--tc-image', 'demo/nettools:local'];
const sock = (node: string) => `unix:///run/chaosdeck-lab/${node}.sock`;

/** The partition rules in a lab node's network namespace (iptables -S, tagged chaosdeck-cut-). */
async function cutRules(node: string, tag = 'chaosdeck-cut-'): Promise<string[]> {
  // The host's own node (a manager of the 3-manager lab) is the machine's namespace.
  const { stdout } = node.startsWith('lab')
    ? await execa('nsenter', [`--net=/var/run/netns/${node}`, 'iptables', '-S'])
    : await execa('iptables', ['-S']);
  return stdout.split('\n').filter((l) => l.includes(tag));
}

/** Swarm's word on a node (docker node inspect), through `host` (default: the lab's manager). */
async function nodeState(
  node: string,
  host?: string,
): Promise<{ state: string; updatedAt: number }> {
  const out = await docker(
    ['node', 'inspect', '-f', '{{.Status.State}} {{.UpdatedAt}}', node],
    host,
  );
  const [state, ...at] = out.split(' ');
  // "2026-12-07 17:04:13.847330716 +0000 UTC": Go's time, to ISO.
  const [day, time] = at;
  return { state: state!, updatedAt: Date.parse(`${day}T${time!.slice(0, 12)}Z`) };
}

/** Polls docker node inspect (every 250 ms) until the node is in `state`; its record then. */
function nodeBecomes(node: string, state: string, timeoutMs: number) {
  return waitFor(
    `${node} ${state} (docker node inspect)`,
    async () => {
      const s = await nodeState(node);
      return s.state === state ? s : undefined;
    },
    timeoutMs,
    250,
  );
}

/** The leader's hostname as `docker node ls` on `host` says, or undefined (no answer, none). */
async function leaderVia(host: string): Promise<string | undefined> {
  try {
    // A manager without a leader makes the CLI wait ~20 s for its DeadlineExceeded: 2 s is "no".
    const { stdout: out } = await execa(
      'docker',
      ['-H', host, 'node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}'],
      { timeout: 2000 },
    );
    return out
      .split('\n')
      .find((l) => l.endsWith(' Leader'))
      ?.split(' ')[0];
  } catch {
    return undefined;
  }
}

/** A service's tasks meant to run (docker service ps): id, slot name, node, current state. */
async function runningTasks(service: string) {
  const out = await docker([
    'service',
    'ps',
    service,
    '--filter',
    'desired-state=running',
    '--format',
    '{{.ID}} {{.Name}} {{.Node}} {{.CurrentState}}',
  ]);
  return out
    .split('\n')
    .map((l) => l.split(' '))
    .map(([id, name, node, state]) => ({ id: id!, name: name!, node: node!, state: state! }));
}

/**
 * Waits until `docker service logs` shows a line a task printed on `node`: what an operator (and
 * chaosdeck's helpers) read a node's output through. After a heal Swarm's log broker can lose a
 * node for good ("node … is not available"); the cutter's renewal of the node's session is what
 * brings it back, within its 80 s at most.
 */
async function logsReach(node: string): Promise<void> {
  // The cutter's container ends once the renewal is done (its service went at the window's end).
  await waitFor(
    `no cutter container left on ${node}`,
    async () =>
      (await docker(['ps', '-q', '--filter', 'label=chaosdeck.cutter'], sock(node))) === ''
        ? true
        : undefined,
    110_000,
    500,
  );
  const name = `pt_logs_${node}_${process.pid}`;
  await createService(
    name,
    ['--restart-condition', 'none', '--constraint', `node.hostname==${node}`],
    ['echo', `hello from ${node}`],
  );
  try {
    await waitFor(
      `docker service logs showing a task's line from ${node}`,
      async () => {
        const out = await execa('docker', ['service', 'logs', '--raw', name], { reject: false });
        return out.stdout.includes(`hello from ${node}`) ? true : undefined;
      },
      100_000,
      1000,
    );
  } finally {
    await docker(['service', 'rm', name]).catch(() => undefined);
  }
  // The renewal's own rule (a REJECT on one session's port) is gone with it.
  await waitFor(
    `no renewal rule on ${node}`,
    async () => ((await cutRules(node, 'chaosdeck-renew-')).length === 0 ? true : undefined),
    100_000,
    500,
  );
}

const lab = (args: string[]) =>
  execa('bash', ['scripts/lab.sh', ...args], { timeout: 180_000, stdio: 'inherit' });

describeLab('a node or a manager lost: partition (issue 30)', () => {
  const cases = consoleCases();
  afterAll(async () => {
    // Whatever a failed test left: the extra managers, cutters (their rules end on their own).
    await lab(['managers-down']).catch(() => undefined);
    const { cutters } = await chaosdeckInSwarm();
    if (cutters.length) await docker(['service', 'rm', ...cutters]).catch(() => undefined);
  });

  it('partition labw1 --for 30s --wait-recovery --json: Down during, Ready after, its replica moved, phases as Docker says, no rule left', async () => {
    const name = `pt_api_${process.pid}`;
    await createService(
      name,
      ['--replicas', '2', '--constraint', 'node.role==worker'],
      ['sleep', '1d'],
    );
    try {
      const onW1 = await waitFor(
        'a replica on labw1',
        async () =>
          (await runningTasks(name)).find((t) => t.node === 'labw1' && t.state === 'Running')?.name,
        60_000,
        250,
      );
      const day = new Script();
      const run = day.start(
        [
          'partition',
          'labw1',
          '--for',
          '30s',
          '--wait-recovery',
          '--timeout',
          '90s',
          '--json',
          ...TC,
        ],
        { timeoutMs: 180_000 },
      );
      const down = await nodeBecomes('labw1', 'down', 40_000);
      expect((await cutRules('labw1')).length).toBeGreaterThan(0);
      // Swarm runs the replica elsewhere meanwhile.
      const moved = await waitFor(
        `${onW1} running on another node`,
        async () =>
          (await runningTasks(name)).find(
            (t) => t.name === onW1 && t.node !== 'labw1' && t.state === 'Running',
          )?.id,
        30_000,
        250,
      );
      // Ready again, as first seen (the cutter's renewal of the node's session, seconds later, is
      // a registration that moves the node's UpdatedAt once more).
      const ready = await nodeBecomes('labw1', 'ready', 60_000);
      const result = await run;
      expect(result.exitCode, result.stderr).toBe(0);
      const doc = JSON.parse(result.stdout) as {
        runs: {
          recovery: { node: Record<string, unknown> & { moved: Record<string, unknown>[] } };
        }[];
      };
      const rec = doc.runs[0]!.recovery.node;
      // The phases are Swarm's own timestamps: docker node inspect and the task's status.
      expect(Math.abs(Date.parse(rec.downAt as string) - down.updatedAt)).toBeLessThan(1000);
      const slot = rec.moved.find(
        (m) => m.replacementTask && String(m.replacementTask).startsWith(moved),
      );
      expect(slot, JSON.stringify(rec.moved)).toBeDefined();
      const ts = await docker([
        'inspect',
        '-f',
        '{{.Status.Timestamp}}',
        String(slot!.replacementTask),
      ]);
      expect(Math.abs(Date.parse(slot!.runningAt as string) - Date.parse(ts))).toBeLessThan(1000);
      expect((await nodeState('labw1')).state).toBe('ready');
      expect(Math.abs(Date.parse(rec.readyAt as string) - ready.updatedAt)).toBeLessThan(1000);
      expect(rec.readyMs as number).toBeGreaterThan(25_000);
      expect(await cutRules('labw1')).toEqual([]);
      // The command ended it: its record, watchdog and cutter are gone with it.
      const left = await chaosdeckInSwarm();
      expect([...left.records, ...left.watchdogs, ...left.cutters]).toEqual([]);
      await logsReach('labw1');
    } finally {
      await docker(['service', 'rm', name]).catch(() => undefined);
    }
  });

  it('the command that applied a partition is SIGKILLed: the node is back on time, its own rules ended it', async () => {
    const before = await chaosdeckInSwarm();
    const day = new Script();
    const run = day.start(['partition', 'labw2', '--for', '20s', ...TC], { timeoutMs: 60_000 });
    const cutAt = await waitFor(
      'the rules on labw2',
      async () => ((await cutRules('labw2')).length > 0 ? Date.now() : undefined),
      30_000,
      100,
    );
    run.kill('SIGKILL');
    await run;
    const healedAt = await waitFor(
      'the rules gone',
      async () => ((await cutRules('labw2')).length === 0 ? Date.now() : undefined),
      40_000,
      100,
    );
    // Planned as 20 s before the cutter started: the cut itself lasts a little less, never more.
    expect(healedAt - cutAt).toBeGreaterThan(15_000);
    expect(healedAt - cutAt).toBeLessThan(21_500);
    await waitFor(
      'labw2 Ready',
      async () => (await nodeState('labw2')).state === 'ready',
      60_000,
      250,
    );
    // The watchdog ends the fault's record and its cutter too.
    await waitFor(
      'no record, watchdog or cutter',
      async () => {
        const left = await chaosdeckInSwarm();
        const mine = (now: string[], then: string[]) => now.filter((x) => !then.includes(x));
        return (
          mine(left.records, before.records).length +
            mine(left.watchdogs, before.watchdogs).length +
            mine(left.cutters, before.cutters).length ===
          0
        );
      },
      60_000,
      500,
    );
    await logsReach('labw2');
  });

  it('the console: :partition 20s on a task of labw2; the nodes pane shows labw2 down as docker node inspect does, then ready', async () => {
    // Sorted before the lab's services: listed at 80×24 (where four fit).
    const name = `cdpt_${process.pid}`;
    await createService(name, ['--constraint', 'node.hostname==labw2'], ['sleep', '1d']);
    try {
      const tui = (cases.tui = await new Tui().start(
        ['--yes', ...TC],
        { columns: 80, rows: 24 },
        // Its first frame lists this service first, not lab_worker (four services fit).
        { waitLive: false },
      ));
      await tui.waitScreen(/● live/, 30_000);
      await openServiceTasks(tui, name);
      await tui.waitScreen(new RegExp(`^› ${name}\\.1 +labw2 +running`, 'm'), 60_000);
      await typeCommand(tui, 'partition 20s');
      await tui.waitScreen(/Active faults 1/, 30_000);
      // Shift-Tab twice from the tasks: the services, then the last pane, the nodes.
      await tui.keys(['BTab', 'BTab']);
      await tui.waitScreen(/▸ Nodes · 3 /);
      const down = await tui.waitScreen(/^ +labw2 +worker +down /m, 45_000);
      expect(down).toMatch(/1 lost or unreachable/);
      // What the pane says is what Swarm says (the window still has seconds to run).
      expect((await nodeState('labw2')).state).toBe('down');
      await tui.waitScreen(/^ +labw2 +worker +ready /m, 60_000);
      expect((await nodeState('labw2')).state).toBe('ready');
      await tui.waitScreen(/all ready/);
      // The window over, the fault is gone from the console and its cutter from the swarm.
      await tui.waitScreen(/^(?![\s\S]*Active faults)/, 30_000);
      await waitFor(
        'no cutter left',
        async () => ((await chaosdeckInSwarm()).cutters.length === 0 ? true : undefined),
        30_000,
        500,
      );
      await tui.keys(['q']);
      expect(await tui.waitExit()).toBe(0);
      await logsReach('labw2');
    } finally {
      await docker(['service', 'rm', name]).catch(() => undefined);
    }
  });

  // chaosdeck on the leader, given the other two: the cut, the switch and the way back ~90 s. The
  // window is 40 s: a leader cut off steps down only after its election timeout and the rules'
  // start, and answers reads from its own store until then (a 20 s cut was over before it knew).
  it('the console on the leader, given the other managers: the leader cut off 40s, it says it follows the swarm through another, which names a new leader, and comes back', async () => {
    await lab(['managers', '3']);
    const leader = await waitFor('a leader', () => leaderVia(sock('labm1')), 30_000, 250);
    const others = ['labm1', 'labm2', 'labm3'].filter((m) => m !== leader);
    const tui = (cases.tui = await new Tui().start(
      ['--yes', ...TC, '-H', sock(leader), ...others.flatMap((m) => ['-H', sock(m)])],
      // Wide enough for the header to say in full which manager answers, and why.
      { columns: 120, rows: 40 },
      // Not the lab's swarm: no lab_worker to wait for.
      { waitLive: false },
    ));
    await tui.waitScreen(/● live/, 30_000);
    await openServiceTasks(tui, 'labm_agent');
    await tui.select(new RegExp(`^› labm_agent\\.${leader} +${leader} +running`, 'm'));
    await typeCommand(tui, 'partition 40s');
    await tui.waitScreen(/Active faults 1/, 30_000);
    // The header says which manager answers now, and why ours does not.
    const header = await tui.waitScreen(
      new RegExp(`● live via (${others.join('|')}) \\(${leader}: `),
      60_000,
    );
    const via = new RegExp(`● live via (\\w+)`).exec(header)![1]!;
    // And that manager serves the swarm: a leader other than the one cut off, as docker says.
    const newLeader = await waitFor(
      `a new leader, as ${via} says`,
      async () => {
        const l = await leaderVia(sock(via));
        return l && l !== leader ? l : undefined;
      },
      30_000,
      250,
    );
    expect(others).toContain(newLeader);
    // Back on ours once it serves again: the header without "via", and docker on it answers.
    await tui.waitScreen(/● live {2}·/, 150_000);
    expect(await leaderVia(sock(leader))).toBeDefined();
    await tui.waitScreen(/^(?![\s\S]*Active faults)/, 60_000);
    await tui.keys(['q']);
    expect(await tui.waitExit()).toBe(0);
    // The journal has both switches, for the report.
    const dir = join(tui.stateHome, 'chaosdeck', 'journal');
    const events = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
      .map((l) => JSON.parse(l) as { type: string; from?: string; to?: string; home?: boolean })
      .filter((e) => e.type === 'manager');
    // (A manager back from a cut may lose its swarm once more while the raft settles.)
    expect([events[0], events.at(-1)].map((e) => [e?.from, e?.to, e?.home])).toEqual([
      [leader, via, false],
      [expect.any(String), leader, true],
    ]);
    await waitFor(
      `no cut rule left on ${leader}`,
      async () => ((await cutRules(leader)).length === 0 ? true : undefined),
      30_000,
      500,
    );
  }, 300_000);

  // The managers' swarm comes and goes with it, the cut and its heal take 30 s + ~45 s.
  it('3 managers: the leader cut off 30s, watched from another manager; the new leader and the API back agree with docker node ls on the third; the old leader rejoins; a quorum loss refused', async () => {
    // A swarm of three managers of its own (labm1-3), fresh: its raft is small, and cutting its
    // leader touches neither the lab's swarm nor the host's network.
    await lab(['managers', '3']);
    const managers = ['labm1', 'labm2', 'labm3'];
    const at = (node: string) => sock(node);
    const old = await waitFor('a leader', () => leaderVia(at('labm1')), 30_000, 250);
    // chaosdeck talks to one surviving manager, the test watches from the other.
    const [via, survivor] = managers.filter((m) => m !== old) as [string, string];
    const day = new Script();
    const run = day.start(
      [
        'partition',
        old,
        '-H',
        at(via),
        '--for',
        '30s',
        '--wait-recovery',
        '--timeout',
        '120s',
        '--json',
        ...TC,
      ],
      { timeoutMs: 240_000 },
    );
    let refusedAt: number | undefined;
    const newLeader = await waitFor(
      `a new leader on ${survivor} (${old} cut)`,
      async () => {
        const l = await leaderVia(at(survivor));
        if (l === undefined) refusedAt ??= Date.now();
        return l !== undefined && l !== old ? { leader: l, at: Date.now() } : undefined;
      },
      60_000,
      250,
    ).catch(async (error: Error) => {
      run.kill();
      const r = await run;
      throw new Error(`${error.message}; the command said: ${r.stdout} ${r.stderr}`);
    });
    const result = await run;
    expect(result.exitCode, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      runs: {
        recovery: { node: { cutAt: string; controlPlane: Record<string, number | string> } };
      }[];
    };
    const rec = doc.runs[0]!.recovery.node;
    const cp = rec.controlPlane;
    expect(cp.leaderBefore).toBe(old);
    expect(cp.newLeader).toBe(newLeader.leader);
    // chaosdeck's API-back time and the third manager's first answer naming a new leader: the
    // same moment, seen by two pollers (250 ms apart, 2-3 s per unanswered look).
    expect(Math.abs(Date.parse(rec.cutAt) + (cp.apiBackMs as number) - newLeader.at)).toBeLessThan(
      4000,
    );
    if (refusedAt !== undefined) expect(cp.apiDownMs).not.toBeNull();
    await waitFor(
      `${old} back: Ready and a manager again`,
      async () =>
        / Ready (Leader|Reachable)$/.test(
          await docker(
            [
              'node',
              'ls',
              '--filter',
              `name=${old}`,
              '--format',
              '{{.Hostname}} {{.Status}} {{.ManagerStatus}}',
            ],
            at(via),
          ),
        ),
      120_000,
      500,
    );
    expect(await cutRules(old)).toEqual([]);
    // One of three managers stopped: cutting another would leave one. Refused, and named.
    const stopped = managers.find((m) => m !== via && m !== old)!;
    const target = old;
    await lab(['stop-worker', stopped]);
    // If the stopped one led, the new leader says "unknown" of the others until it hears from
    // them (and a partition of a node not ready is refused for that, before any quorum count).
    await waitFor(
      `${stopped} unreachable, ${target} ready, as ${via} says`,
      async () => {
        const ls = await docker(
          ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'],
          at(via),
        ).catch(() => '');
        return (
          new RegExp(`^${stopped} \\S+ Unreachable$`, 'm').test(ls) &&
          new RegExp(`^${target} Ready (Leader|Reachable)$`, 'm').test(ls)
        );
      },
      60_000,
      500,
    );
    const refused = await day.run(['partition', target, '-H', at(via), '--for', '20s', ...TC]);
    expect(refused.exitCode, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`cutting ${target} leaves \\d+ of \\d+ managers: below quorum \\(\\d+\\)`),
    );
    expect(await cutRules(target)).toEqual([]);
    const unsaid = await day.run([
      'partition',
      target,
      '-H',
      at(via),
      '--force-quorum-loss',
      ...TC,
    ]);
    expect([unsaid.exitCode, unsaid.stderr]).toEqual([
      2,
      expect.stringMatching(/--force-quorum-loss goes with --yes/),
    ]);
    // And the manager chaosdeck talks to, whatever the quorum.
    const self = await day.run(['partition', via, '-H', at(via), ...TC]);
    expect(self.stderr).toMatch(/is the manager chaosdeck talks to/);
  }, 300_000);
});
