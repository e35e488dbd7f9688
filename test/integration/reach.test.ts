import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LABW1, inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import { describeLab, waitFor } from '../helpers/lab.js';
import { asSshUser, startSshd, SSH_USER, type LabSshd } from '../helpers/sshd.js';
import { consoleCases, Tui } from '../helpers/tui.js';

// Reach the engine the ways the docker CLI does: ssh through the system ssh (a key in ~/.ssh, a
// ~/.ssh/config alias, known_hosts checked, no agent) and docker contexts.
describeLab('connecting like the docker CLI', () => {
  const cases = consoleCases();
  let sshd: LabSshd;
  const state = () => mkdtempSync(join(tmpdir(), 'chaosdeck-reach-'));
  // A docker config directory of this test's own: root's contexts stay as they are.
  const dockerConfig = mkdtempSync(join(tmpdir(), 'chaosdeck-docker-config-'));
  const dockerEnv = { DOCKER_CONFIG: dockerConfig };
  const dockerName = async (env: Record<string, string>) =>
    (await execa('docker', ['info', '--format', '{{.Name}}'], { env })).stdout.trim();

  beforeAll(async () => {
    sshd = await startSshd();
    const make = (name: string, host: string) =>
      execa('docker', ['context', 'create', name, '--docker', `host=${host}`], { env: dockerEnv });
    await make('cd-manager', 'unix:///var/run/docker.sock');
    await make('cd-worker', LABW1);
  }, 120_000);
  afterAll(async () => {
    await sshd?.stop();
  });

  it('ssh://ALIAS from ~/.ssh/config with a key in ~/.ssh and no agent: status works, nothing on stderr', async () => {
    const r = await asSshUser(sshd, state(), ['status', '--json', '--host', `ssh://${sshd.alias}`]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status.engine).toBe(`ssh://${sshd.alias}`);
    expect(status.node).toBe(await dockerName({}));
    expect(status.services.map((s: { name: string }) => s.name)).toContain('lab_api');
  });

  it('an unknown host key is refused with the docker CLI message', async () => {
    const r = await asSshUser(sshd, state(), ['status', '--host', `ssh://${sshd.unknownAlias}`]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /ssh to ssh:\/\/cdlab-unknown-\d+ failed: .*Host key verification failed/,
    );
  });

  it('a fault through ssh: pause --for 3s pauses the task, then unpauses it', async () => {
    const api = await targetOf('lab_api', 'vm');
    const run = asSshUser(sshd, state(), [
      'pause',
      api.taskId,
      '--for',
      '3s',
      '--yes',
      '--host',
      `ssh://${sshd.alias}`,
    ]);
    await waitFor(
      'docker inspect to say paused',
      async () =>
        (await inspectContainer(api.containerId, '{{.State.Paused}}')) === 'true' || undefined,
      20_000,
      100,
    );
    const r = await run;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await inspectContainer(api.containerId, '{{.State.Paused}}')).toBe('false');
  });

  it('the console over ssh shows the swarm and quits on q', async () => {
    const tui = (cases.tui = new Tui(state()));
    await execa('chown', [SSH_USER, tui.stateHome]);
    await tui.start(['--host', `ssh://${sshd.alias}`], undefined, {
      wrap: `runuser -u ${SSH_USER} -- env -u SSH_AUTH_SOCK HOME=${sshd.home} XDG_STATE_HOME=${tui.stateHome}`,
    });
    await tui.waitScreen(/\(manager, leader\)/);
    await tui.keys(['q']);
    await waitFor(
      'the console to quit',
      async () => (await tui.exited()) || undefined,
      20_000,
      100,
    );
  });

  it('DOCKER_CONTEXT and the current context: chaosdeck goes where the docker CLI goes', async () => {
    // A worker's context: the docker CLI talks to labw1; so does chaosdeck (and refuses a worker).
    const worker = { ...dockerEnv, DOCKER_CONTEXT: 'cd-worker' };
    expect(await dockerName(worker)).toBe('labw1');
    const refused = await execa('node', ['dist/cli.js', 'status'], {
      reject: false,
      env: { ...worker, XDG_STATE_HOME: state() },
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/labw1 is a swarm worker/);
    // `docker context use`: the current context in config.json.
    await execa('docker', ['context', 'use', 'cd-manager'], { env: dockerEnv });
    const r = await execa('node', ['dist/cli.js', 'status', '--json'], {
      reject: false,
      env: { ...dockerEnv, XDG_STATE_HOME: state() },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      context: 'cd-manager',
      node: await dockerName(dockerEnv),
    });
    // DOCKER_HOST wins over the current context, as for the docker CLI.
    const host = await execa('node', ['dist/cli.js', 'status', '--json'], {
      env: { ...dockerEnv, DOCKER_HOST: 'unix:///var/run/docker.sock', XDG_STATE_HOME: state() },
    });
    expect(JSON.parse(host.stdout).context).toBeUndefined();
  });

  it('the header names the context', async () => {
    const tui = (cases.tui = new Tui(state()));
    await tui.start([], undefined, {
      env: `DOCKER_CONFIG=${dockerConfig} DOCKER_CONTEXT=cd-manager`,
    });
    await tui.waitScreen(/^context cd-manager · \S+ \(manager, leader\)/m);
  });
});
