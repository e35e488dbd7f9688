import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import { Script } from '../helpers/commands.js';
import { createService, describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { isPaused, netState, WEB_PROBE } from '../helpers/undo-lab.js';
import { CTK_JOURNAL_KEYS, CTK_RUN_KEYS } from '../helpers/ctk.js';

const FLAKY = 'cdcmd_flaky';
const HOG = 'cdcmd_hog';
const time = (iso: string) => Date.parse(iso);

interface Episode {
  failedTask: string;
  replacementTask?: string;
  failedAt: string;
  phasesMs: { created?: number; started?: number; healthy?: number; running?: number };
  retries: number;
  cause?: string;
}
interface Doc {
  exitCode: number;
  runs: {
    target: { slotName: string; containerId: string; taskId: string };
    fault?: { id: string };
    refused?: string;
    recovery?: { converged: boolean; episodes: Episode[] };
  }[];
}

describeLab('scriptable commands on the lab swarm', () => {
  const day = new Script();

  beforeAll(async () => {
    await waitLabConverged();
    // A service whose replacements cannot start: the first container marks a host directory,
    // every later one finds the mark and exits 1 (Swarm retries forever).
    const flag = mkdtempSync(join(tmpdir(), 'chaosdeck-flaky-'));
    await docker(['service', 'rm', FLAKY]).catch(() => undefined);
    await createService(
      FLAKY,
      [
        '--constraint',
        'node.role==manager',
        '--restart-delay',
        '1s',
        '--mount',
        `type=bind,src=${flag},dst=/flag`,
      ],
      ['sh', '-c', '[ -e /flag/up ] && exit 1; touch /flag/up; exec sleep 86400'],
    );
    // A service that holds ~40 MB in a shell variable: fine under its 128M limit, not under 20m.
    // The OOM killer may pick `tr` or `head` rather than the shell: a short string then ends
    // the container too, as a real service dies when a worker of it is killed.
    await docker(['service', 'rm', HOG]).catch(() => undefined);
    await createService(
      HOG,
      ['--constraint', 'node.role==manager', '--limit-memory', '128M', '--restart-delay', '1s'],
      [
        'sh',
        '-c',
        'x=$(head -c 40000000 /dev/zero | tr "\\0" a); [ ${#x} -eq 40000000 ] || exit 137; sleep 86400',
      ],
    );
    await waitFor(
      'the flaky service to run',
      async () =>
        (
          await docker([
            'service',
            'ps',
            FLAKY,
            '--filter',
            'desired-state=running',
            '--format',
            '{{.CurrentState}}',
          ])
        ).startsWith('Running'),
      60_000,
      300,
    );
  });
  afterAll(async () => {
    await docker(['service', 'rm', FLAKY]).catch(() => undefined);
    await docker(['service', 'rm', HOG]).catch(() => undefined);
    await waitLabConverged();
  });

  it('kill --wait-recovery --json: the phases agree with docker inspect within 50 ms', async () => {
    const r = await day.run(['kill', 'lab_api', '--wait-recovery', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    const episode = doc.runs[0]!.recovery!.episodes.find(
      (e) => e.failedTask === doc.runs[0]!.target.taskId,
    )!;
    expect(doc.runs[0]!.recovery!.converged).toBe(true);
    const old = JSON.parse(await docker(['inspect', episode.failedTask])) as [
      { Status: { Timestamp: string } },
    ];
    const next = JSON.parse(await docker(['inspect', episode.replacementTask!])) as [
      {
        CreatedAt: string;
        Status: { Timestamp: string; State: string; ContainerStatus: { ContainerID: string } };
      },
    ];
    const failedAt = time(old[0].Status.Timestamp);
    expect(Math.abs(time(episode.failedAt) - failedAt)).toBeLessThanOrEqual(50);
    // The command follows no event stream and still names its own kill; Docker saw a SIGKILL.
    expect(episode.cause).toBe('killed by chaosdeck (SIGKILL)');
    expect(await inspectContainer(doc.runs[0]!.target.containerId, '{{.State.ExitCode}}')).toBe(
      '137',
    );
    expect(next[0].Status.State).toBe('running');
    expect(
      Math.abs(failedAt + episode.phasesMs.created! - time(next[0].CreatedAt)),
    ).toBeLessThanOrEqual(50);
    expect(
      Math.abs(failedAt + episode.phasesMs.running! - time(next[0].Status.Timestamp)),
    ).toBeLessThanOrEqual(50);
    // lab_api has a healthcheck: its container started before Swarm said running (once healthy).
    const startedAt = await inspectContainer(
      next[0].Status.ContainerStatus.ContainerID,
      '{{.State.StartedAt}}',
    );
    expect(Math.abs(failedAt + episode.phasesMs.started! - time(startedAt))).toBeLessThanOrEqual(
      50,
    );
    expect(episode.phasesMs.started!).toBeLessThan(episode.phasesMs.healthy!);
    expect(episode.phasesMs.healthy!).toBeLessThanOrEqual(episode.phasesMs.running! + 50);
  });

  it('pause --for 4s: docker sees it paused while the command runs, then not', async () => {
    const api = await targetOf('lab_api');
    const running = day.start(['pause', api.slotName, '--for', '4s']);
    await waitFor('paused', () => isPaused(api), 10_000, 100);
    const r = await running;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await isPaused(api)).toBe(false);
    expect(r.stdout).toMatch(/undone after 4s/);
  });

  it('cpu in place and memory in service scope: set while held, restored exactly', async () => {
    const api = await targetOf('lab_api');
    const before = await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}');
    const cpu = day.start(['cpu', api.slotName, '--cpus', '0.2', '--for', '3s']);
    await waitFor(
      '0.2 CPUs',
      async () =>
        (await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')) === '200000000',
      10_000,
      100,
    );
    expect((await cpu).exitCode).toBe(0);
    expect(await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')).toBe(before);
    const memBefore = await inspectContainer(
      api.containerId,
      '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}',
    );
    const inPlace = day.start(['memory', api.slotName, '--memory', '100m', '--for', '3s']);
    await waitFor(
      '100m in place',
      async () =>
        (await inspectContainer(api.containerId, '{{.HostConfig.Memory}}')) ===
        String(100 * 1024 * 1024),
      10_000,
      100,
    );
    expect((await inPlace).exitCode).toBe(0);
    expect(
      await inspectContainer(api.containerId, '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}'),
    ).toBe(memBefore);

    const limits = () =>
      docker([
        'service',
        'inspect',
        'lab_api',
        '--format',
        '{{json .Spec.TaskTemplate.Resources.Limits}}',
      ]);
    const was = await limits();
    const mem = await day.run([
      'memory',
      'lab_api',
      '--scope',
      'service',
      '--memory',
      '96m',
      '--for',
      '2s',
      '--wait-recovery',
      '--timeout',
      '90s',
    ]);
    expect(mem.exitCode, mem.stdout + mem.stderr).toBe(0);
    expect(await limits()).toBe(was);
  });

  it('pause the web task --for 3s with a probe: the before / during / after figures', async () => {
    const r = await day.run([
      'pause',
      'lab_web',
      '--for',
      '3s',
      '--yes',
      '--force-last',
      '--json',
      ...WEB_PROBE,
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      latency: {
        name: string;
        before: { count: number; errors: number };
        during: { count: number; errors: number };
        after: { count: number; errors: number };
      }[];
    };
    const web = doc.latency.find((row) => row.name === 'web')!;
    expect(web.before.count).toBeGreaterThanOrEqual(3);
    expect(web.before.errors).toBe(0);
    // Paused, the web task answers no request: each sample during the window times out.
    expect(web.during.errors).toBeGreaterThan(0);
    expect(web.after.count).toBeGreaterThanOrEqual(3);
    expect(web.after.errors).toBe(0);
    expect(await isPaused(await targetOf('lab_web'))).toBe(false);
  });

  it('net --rate for a window: tbf on the namespace while held, nothing after', async () => {
    const api = await targetOf('lab_api');
    const net = day.start([
      'net',
      api.slotName,
      '--rate',
      '1mbit',
      '--for',
      '3s',
      '--method',
      'nsenter',
    ]);
    await waitFor('tbf', async () => /tbf/.test(await netState(api.containerId)), 10_000, 100);
    const r = await net;
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await netState(api.containerId)).not.toMatch(/tbf/);
  });

  it('drain the worker node for a window, then it is active again', async () => {
    const availability = () =>
      docker(['node', 'inspect', 'labw1', '--format', '{{.Spec.Availability}}']);
    const drain = day.start(['drain', 'lab_worker.labw1', '--for', '3s']);
    await waitFor('drained', async () => (await availability()) === 'drain', 10_000, 100);
    expect((await drain).exitCode).toBe(0);
    expect(await availability()).toBe('active');
    await waitLabConverged();
  });

  it('re: with --random --limit 2 and --every/--times: the runs Docker saw paused', async () => {
    const r = await day.run([
      'pause',
      're:^lab_(api|db)$',
      '--random',
      '--limit',
      '2',
      '--yes',
      '--force-last',
      '--for',
      '1s',
      '--every',
      '2s',
      '--times',
      '2',
      '--json',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.runs).toHaveLength(4);
    for (let i = 0; i < 4; i += 2)
      expect(doc.runs[i]!.target.slotName).not.toBe(doc.runs[i + 1]!.target.slotName);
    for (const run of doc.runs) expect(run.target.slotName).toMatch(/^lab_(api|db)\.\d$/);
    // Docker's own event stream saw every pause and unpause.
    const events = await docker([
      'events',
      '--since',
      `${Math.floor(Date.now() / 1000) - 60}`,
      '--until',
      `${Math.floor(Date.now() / 1000)}`,
      '--filter',
      'event=pause',
      '--format',
      '{{.ID}}',
    ]);
    for (const run of doc.runs) expect(events).toContain(run.target.containerId);
  });

  it('refusals exit 1 with the reason: protected, and a last replica without --force-last', async () => {
    const p = await day.run(['kill', 'lab_db', '--protect', '^lab_db$']);
    expect(p.exitCode).toBe(1);
    expect(p.stderr).toMatch(/chaosdeck: refused: lab_db is protected/);
    const last = await day.run(['kill', FLAKY, '--yes']);
    expect(last.exitCode).toBe(1);
    expect(last.stderr).toMatch(/last running replica of cdcmd_flaky; pass --yes --force-last/);
    expect(
      await docker(['service', 'ps', FLAKY, '-q', '--filter', 'desired-state=running']),
    ).not.toBe('');
  });

  it('exit 3 when the replacement cannot start', async () => {
    const r = await day.run([
      'kill',
      FLAKY,
      '--yes',
      '--force-last',
      '--wait-recovery',
      '--timeout',
      '12s',
    ]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      /cdcmd_flaky not recovered within 12s: (a replacement failed again|replacements keep failing)/,
    );
    const states = await docker([
      'service',
      'ps',
      FLAKY,
      '--format',
      '{{.CurrentState}} {{.Error}}',
    ]);
    expect(states).toMatch(/non-zero exit \(1\)/);
  });

  it('a memory squeeze the service cannot live in: OOM kills, exit 3, undo restores the limit', async () => {
    const limits = () =>
      docker([
        'service',
        'inspect',
        HOG,
        '--format',
        '{{.Spec.TaskTemplate.Resources.Limits.MemoryBytes}}',
      ]);
    expect(await limits()).toBe(String(128 * 1024 * 1024));
    const r = await day.run([
      'memory',
      HOG,
      '--scope',
      'service',
      '--memory',
      '20m',
      '--wait-recovery',
      '--timeout',
      '25s',
    ]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(3);
    // Each replacement runs a moment and is killed: that is no recovery, and it says why.
    expect(r.stderr).toMatch(
      /not recovered within 25s: (replacements keep failing|a replacement failed again)/,
    );
    expect(await limits()).toBe(String(20 * 1024 * 1024));
    // The recovery lines name the cause, from the dead containers' State.OOMKilled.
    expect(r.stdout).toMatch(/recovery cdcmd_hog\.\d: .*\(OOM killed\)/);
    // Docker's own word: a replacement's container was OOM-killed.
    const ids = (
      await docker(['ps', '-aq', '--filter', `label=com.docker.swarm.service.name=${HOG}`])
    ).split('\n');
    // Swarm prunes old tasks' containers (task history) between `ps` and `inspect`: one that is
    // gone says nothing either way; of those still there, one must have been OOM-killed.
    const killed = await Promise.all(
      ids.map((id) => inspectContainer(id, '{{.State.OOMKilled}}').catch(() => 'gone')),
    );
    expect(killed).toContain('true');
    const u = await day.run(['undo', HOG]);
    expect(u.exitCode, u.stdout + u.stderr).toBe(0);
    expect(await limits()).toBe(String(128 * 1024 * 1024));
    const journal = readFileSync(day.journal, 'utf8');
    expect(journal).toMatch(/"type":"oom","service":"cdcmd_hog"/);
  });

  it('stop --grace 1: the container stopped, Swarm replaced it', async () => {
    const api = await targetOf('lab_api');
    const r = await day.run(['stop', api.slotName, '--grace', '1', '--wait-recovery']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(await inspectContainer(api.containerId, '{{.State.Running}}')).toBe('false');
    expect(await docker(['inspect', api.taskId, '--format', '{{.DesiredState}}'])).toBe('shutdown');
  });

  it('a fault left active by a command is undone by chaosdeck undo', async () => {
    const api = await targetOf('lab_api');
    const r = await day.run(['pause', api.slotName]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/still active: chaosdeck undo/);
    expect(await isPaused(api)).toBe(true);
    const u = await day.run(['undo', api.slotName]);
    expect(u.exitCode, u.stdout).toBe(0);
    expect(u.stdout).toMatch(/undone: pause/);
    expect(await isPaused(api)).toBe(false);
  });

  it("version --json: this client's version and the engine's, as docker version says it", async () => {
    const r = await day.run(['version', '--json'], { journal: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      client: { version: string; api: string };
      engine: { version: string; api: string };
    };
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(doc.client.version).toBe(pkg.version);
    expect(doc.engine.version).toBe(await docker(['version', '--format', '{{.Server.Version}}']));
    // The API agreed: the engine's own, at most the client's.
    const engineApi = await docker(['version', '--format', '{{.Server.APIVersion}}']);
    expect(doc.engine.api).toBe(
      Number(engineApi) <= Number(doc.client.api) ? engineApi : doc.client.api,
    );
  });

  it('bad usage exits 2; status --json parses', async () => {
    expect((await day.run(['kill'])).exitCode).toBe(2);
    expect((await day.run(['cpu', 'lab_api'])).exitCode).toBe(2);
    expect((await day.run(['kill', 'lab_api', '--for', '3s'])).exitCode).toBe(2);
    const s = await day.run(['status', '--json'], { journal: false });
    const doc = JSON.parse(s.stdout) as { services: { name: string; tasks: unknown[] }[] };
    expect(doc.services.find((x) => x.name === 'lab_api')!.tasks).toHaveLength(2);
  });

  it('report turns the scripted day into Markdown and a Chaos Toolkit journal', async () => {
    const md = await day.run(['report', day.journal], { journal: false });
    expect(md.exitCode, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/## Summary/);
    expect(md.stdout).toMatch(
      /\| 1 \| kill with SIGKILL \| lab_api\.\d \| \d+\.\d\d s \| – \| recovered \|/,
    );
    expect(md.stdout).toMatch(/## Experiment \d+: CPU limit 0\.5 → 0\.2 CPUs for 3s on lab_api/);
    expect(md.stdout).toMatch(/not recovered/);
    expect(md.stdout).toMatch(/\*\*OOM kill\*\* of container/);
    expect(md.stdout).toMatch(/### Findings:/);
    const json = await day.run(['report', day.journal, '--format', 'json'], { journal: false });
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    for (const key of CTK_JOURNAL_KEYS) expect(doc, key).toHaveProperty(key);
    expect(doc.deviated).toBe(true);
    const run = (doc.run as Record<string, unknown>[])[0]!;
    for (const key of CTK_RUN_KEYS) expect(run).toHaveProperty(key);
    // No secrets: nothing of a service's environment is ever read into the record.
    expect(readFileSync(day.journal, 'utf8')).not.toMatch(/"Env"|PATH=/);
  });
});
