import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import {
  containerExitCode,
  describeLab,
  docker,
  waitFor,
  waitLabConverged,
} from '../helpers/lab.js';
import { asSshUser, startSshd } from '../helpers/sshd.js';
import { makeCerts, startProxy, tlsFlags } from '../helpers/tls-proxy.js';
import { Tui } from '../helpers/tui.js';
import { isPaused, limitApiCpu, netState, selectApiTask } from '../helpers/undo-lab.js';

const BINARY = resolve(`release/chaosdeck-linux-${process.arch}`);

describeLab('chaosdeck where operators are: the image and the single executable (issue 32)', () => {
  const volume = `chaosdeck-test-${process.pid}`;
  const containers: string[] = [];
  let volumeDir = '';

  beforeAll(async () => {
    // The executable and the image are built once per run (test/integration/global-setup.ts).
    await docker(['volume', 'create', volume]);
    volumeDir = await docker(['volume', 'inspect', '-f', '{{.Mountpoint}}', volume]);
    await waitLabConverged();
  });

  afterAll(async () => {
    for (const c of containers) await execa('docker', ['rm', '-f', c], { reject: false });
    await execa('docker', ['volume', 'rm', '-f', volume], { reject: false });
  });

  /** The README's line, with a name to stop it by and this run's volume (and `flags` of docker run). */
  function dockerRun(name: string, flags = '--rm'): string {
    containers.push(name);
    return `docker run -it ${flags} --name ${name} -v /var/run/docker.sock:/var/run/docker.sock -v ${volume}:/state chaosdeck:local`;
  }

  /** Pauses a lab_api task by keys (--yes) and waits for docker inspect and the faults bar. */
  async function pauseApiByKeys(tui: Tui, api: Awaited<ReturnType<typeof targetOf>>) {
    await selectApiTask(tui, api);
    await tui.keys(['p']);
    await tui.waitScreen(/PAUSE lab_api/);
    await tui.keys(['Enter']);
    await waitFor('the pause', () => isPaused(api));
    await tui.waitScreen(/Active faults 1/);
  }

  it('the console from the image: a lab_api task paused by keys, redrawn at 80×24 after a resize, q, unpaused, exit 0', async () => {
    const api = await targetOf('lab_api', 'vm');
    const tui = await new Tui().start(['--yes'], undefined, {
      program: dockerRun(`chaosdeck-test-q-${process.pid}`),
    });
    try {
      await pauseApiByKeys(tui, api);
      // Docker's tty passes the resize on: the console redraws for 80×24, its footer on the
      // last line (at 40 rows it was on line 40, out of an unredrawn 24-row screen).
      await execa('tmux', ['resize-window', '-t', tui.session, '-x', '80', '-y', '24']);
      await waitFor('the console redrawn at 80×24', async () => {
        const lines = (await tui.screen()).split('\n');
        return lines.length === 24 && /q quit/.test(lines[23] ?? '');
      });
      await tui.keys(['q']);
      expect(await tui.waitExit()).toBe(0);
      expect(await isPaused(api)).toBe(false);
    } finally {
      await tui.stop();
    }
  });

  it('docker stop of the console: the CPU limit comes back exactly, exit 143, the journal on the volume', async () => {
    const api = await targetOf('lab_api', 'vm');
    const before = await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}');
    const name = `chaosdeck-test-stop-${process.pid}`;
    const tui = await new Tui().start(['--yes'], undefined, { program: dockerRun(name) });
    try {
      await limitApiCpu(tui, api);
      await tui.waitScreen(/Active faults 1/);
      await docker(['stop', name]);
      expect(await tui.waitExit()).toBe(143);
      expect(await inspectContainer(api.containerId, '{{.HostConfig.NanoCpus}}')).toBe(before);
      const journals = join(volumeDir, 'chaosdeck', 'journal');
      const lines = readdirSync(journals)
        .map((f) => readFileSync(join(journals, f), 'utf8'))
        .join('');
      expect(lines).toContain(api.containerId.slice(0, 12));
      expect(lines).toMatch(/"kind":"cpu"/);
    } finally {
      await tui.stop();
    }
  });

  it('a closed terminal, with a docker client that does not pass the hang-up on: undone, exit 129', async () => {
    const api = await targetOf('lab_api', 'vm');
    const name = `chaosdeck-test-hup-${process.pid}`;
    // --sig-proxy=false: as Docker CLIs before 25 behave with a tty (the hang-up stays with the
    // client); the container's terminal outlives the client, so the console must notice itself.
    const tui = await new Tui().start(['--yes'], undefined, {
      program: dockerRun(name, '--sig-proxy=false'),
    });
    try {
      await pauseApiByKeys(tui, api);
    } finally {
      await tui.stop();
    }
    const code = await containerExitCode(name);
    expect(code).toBe(129);
    expect(await isPaused(api)).toBe(false);
    expect(await docker(['logs', name])).toMatch(/the terminal stopped answering/);
  });

  it('the image warns loudly when the state is not on a volume: on the console, and from a command', async () => {
    const name = `chaosdeck-test-novol-${process.pid}`;
    containers.push(name);
    const tui = await new Tui().start(['--read-only'], undefined, {
      program: `docker run --rm -it --name ${name} -v /var/run/docker.sock:/var/run/docker.sock chaosdeck:local`,
    });
    try {
      await tui.waitScreen(
        /WARNING: the state directory \/state\/chaosdeck is on this container's own/,
      );
      // Ctrl-C through Docker's tty quits as q does.
      await tui.keys(['C-c']);
      expect(await tui.waitExit()).toBe(0);
    } finally {
      await tui.stop();
    }
    const r = await execa(
      'docker',
      ['run', '--rm', '-v', '/var/run/docker.sock:/var/run/docker.sock', 'chaosdeck:local', 'undo'],
      { reject: false },
    );
    expect(r.stderr).toMatch(
      /WARNING: the state directory \/state\/chaosdeck is on this container's own filesystem/,
    );
  });

  it('a network window from the image goes through the helper container, and says so', async () => {
    const api = await targetOf('lab_api', 'vm');
    const run = execa('docker', [
      'run',
      '--rm',
      '-v',
      '/var/run/docker.sock:/var/run/docker.sock',
      '-v',
      `${volume}:/state`,
      'chaosdeck:local',
      'net',
      api.slotName,
      '--loss',
      '30%',
      '--for',
      '3s',
      '--tc-image',
      'demo/nettools:local',
    ]);
    // The rule is in the task's namespace while the window lasts (as root on the host sees it).
    await waitFor(
      'the loss rule',
      async () => /statistic/.test(await netState(api.containerId)),
      15_000,
      100,
    );
    const r = await run;
    expect(r.stdout).toMatch(/iptables statistic via helper/);
    expect(await netState(api.containerId)).not.toMatch(/statistic/);
  });

  describeBinary();

  function describeBinary() {
    /** The executable with a PATH that has no node (nor npm), and a state home of its own. */
    async function binary(args: string[], options: { reject?: boolean; program?: string } = {}) {
      return execa(options.program ?? BINARY, args, {
        env: bare(),
        extendEnv: false,
        reject: options.reject ?? true,
      });
    }
    /** An environment whose PATH is an empty directory: no node, no npm, no docker. */
    function bare() {
      const home = mkdtempSync(join(tmpdir(), 'chaosdeck-bin-'));
      mkdirSync(join(home, 'bin'));
      return { PATH: join(home, 'bin'), HOME: home, XDG_STATE_HOME: join(home, 'state') };
    }

    it('the single executable runs with no node on PATH: status --json reads the lab', async () => {
      expect(existsSync(BINARY)).toBe(true);
      // The same environment stops the npm install's command, which needs node on PATH.
      const npmBin = await binary(['--version'], {
        program: resolve('bin/chaosdeck'),
        reject: false,
      });
      expect(npmBin.exitCode).toBe(127);
      const status = await binary(['status', '--json']);
      const doc = JSON.parse(status.stdout) as { services: { name: string; desired: number }[] };
      const desired = await docker([
        'service',
        'inspect',
        '-f',
        '{{.Spec.Mode.Replicated.Replicas}}',
        'lab_api',
      ]);
      expect(doc.services.find((s) => s.name === 'lab_api')?.desired).toBe(Number(desired));
      expect((await binary(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    });

    it('the single executable: pause lab_api.1 --for 3s --json pauses during and unpauses after', async () => {
      const api = await targetOf('lab_api');
      const run = binary(['pause', api.slotName, '--for', '3s', '--json', ...(await labNodes())]);
      await waitFor('the pause', () => isPaused(api), 15_000, 100);
      const r = await run;
      expect(r.exitCode).toBe(0);
      expect(await isPaused(api)).toBe(false);
      expect(r.stdout).toMatch(/"description": "pause/);
      expect(r.stdout).toMatch(/"outcome": "undone"/);
    });

    it('the single executable reaches the manager over TLS and over ssh:// (a user with a key)', async () => {
      const certs = await makeCerts();
      const tls = await startProxy(certs);
      const sshd = await startSshd();
      try {
        const overTls = await binary(['status', ...tlsFlags(certs, tls.port)]);
        expect(overTls.stdout).toMatch(/\blab_api\.1\b/);
        const state = mkdtempSync(join(tmpdir(), 'chaosdeck-bin-ssh-'));
        const overSsh = await asSshUser(
          sshd,
          state,
          ['status', '--json', '--host', `ssh://${sshd.alias}`],
          {},
          [BINARY],
        );
        expect(overSsh.exitCode, overSsh.stderr).toBe(0);
        expect((JSON.parse(overSsh.stdout) as { engine: string }).engine).toBe(
          `ssh://${sshd.alias}`,
        );
      } finally {
        tls.stop();
        await sshd.stop();
      }
    });

    it('the single executable validates an experiment', async () => {
      const r = await binary(['run', '--validate', resolve('examples/kill-api.json')]);
      expect(r.stdout).toMatch(/kill-api\.json: valid/);
    });
  }
});

/** The lab workers' engines as --node flags (scripts/lab.sh env). */
async function labNodes(): Promise<string[]> {
  const { stdout } = await execa('bash', ['scripts/lab.sh', 'env']);
  return stdout.split(/\s+/).filter(Boolean);
}
