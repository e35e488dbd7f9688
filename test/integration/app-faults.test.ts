import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Script } from '../helpers/commands.js';
import { describeLab, docker, waitFor, waitLabConverged } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';
import { rawRules } from '../helpers/undo-lab.js';

const LOGIN = 'http://127.0.0.1:18090/cgi-bin/login';
const FALLBACK = 'http://127.0.0.1:18090/cgi-bin/login-fallback';

/** What a person's browser gets from the login app (status and body), as curl reads it. */
async function get(url: string): Promise<string> {
  const r = await execa('curl', ['-s', '-m', '15', '-w', ' %{http_code}', url], { reject: false });
  return r.stdout.replace(/\s+/g, ' ').trim();
}

/** app_web's running container, from Docker. */
async function webContainer(): Promise<string> {
  const task = (
    await docker(['service', 'ps', 'app_web', '-q', '--filter', 'desired-state=running'])
  ).split('\n')[0]!;
  return docker(['inspect', task, '--format', '{{.Status.ContainerStatus.ContainerID}}']);
}

/** `:svc app_web`: the console jumps to app_web's tasks. */
async function openWebTasks(tui: Tui): Promise<void> {
  await tui.keys([':']);
  await tui.keys(['svc app_web'], { literal: true });
  await tui.keys(['Enter']);
  await tui.waitScreen(/▸ Tasks of app_web/);
}

/** A console (--yes) on app_web's tasks, and its container's raw rules before any fault. */
async function webConsole(): Promise<{ web: string; clean: string; tui: Tui }> {
  const web = await webContainer();
  const clean = await rawRules(web);
  const tui = new Tui();
  await tui.start(['--yes']);
  await openWebTasks(tui).catch(async (error: unknown) => {
    await tui.stop();
    throw error;
  });
  return { web, clean, tui };
}

const dropsDns = (rules: string) =>
  /-d 127\.0\.0\.11\/32 -p udp .*--dport 53 .*chaosdeck-.* -j DROP/.test(rules) &&
  /-d 127\.0\.0\.11\/32 -p tcp .*--dport 53 .*chaosdeck-.* -j DROP/.test(rules);

describeLab('faults felt in the login app: dns', () => {
  consoleCases();
  // The login app is added for these tests and removed after them (as the experiments do).
  beforeAll(async () => {
    await execa('bash', ['scripts/lab.sh', 'app']);
    await waitLabConverged();
    await waitFor(
      'the login app to answer',
      async () => (await get(LOGIN)).endsWith('200'),
      60_000,
    );
  }, 180_000);
  afterAll(() => execa('bash', ['scripts/lab.sh', 'app-down']));

  it('r on app_web: /login fails while its DNS is dropped, /login-fallback answers from its cache; u puts it back', async () => {
    const { web, clean, tui } = await webConsole();
    try {
      await tui.keys(['r']);
      await tui.waitScreen(/DNS app_web[\s\S]*duration/);
      await tui.keys(['Enter']);
      await waitFor('the DNS rules', async () => dropsDns(await rawRules(web)));
      await tui.waitScreen(
        /Active faults 1[\s\S]*DNS queries dropped \(iptables via nsenter\) for 30s on app_web\.1/,
      );
      expect(await get(LOGIN)).toMatch(/login failed: the API did not answer 502$/);
      expect(await get(FALLBACK)).toMatch(/logged in \(cached\): alice:ok 200$/);
      await tui.keys(['u']);
      await waitFor('the rules gone', async () => (await rawRules(web)) === clean);
      expect(await get(LOGIN)).toBe('logged in: alice:ok 200');
    } finally {
      await tui.stop();
    }
  });

  it('chaosdeck dns app_web --for 4s: failing during the window, the rules gone after it', async () => {
    const web = await webContainer();
    const clean = await rawRules(web);
    const day = new Script();
    const run = day.start(['dns', 'app_web', '--for', '4s', '--json']);
    await waitFor('the DNS rules', async () => dropsDns(await rawRules(web)));
    expect(await get(LOGIN)).toMatch(/ 502$/);
    const r = await run;
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      kind: string;
      runs: { fault: { description: string } }[];
    };
    expect(doc.kind).toBe('dns');
    expect(doc.runs[0]!.fault.description).toMatch(/^DNS queries dropped/);
    expect(await rawRules(web)).toBe(clean);
    expect(await get(LOGIN)).toBe('logged in: alice:ok 200');
  });

  it('an experiment: the dns action holds its window, the fallback stays within tolerance, nothing left', async () => {
    const web = await webContainer();
    const clean = await rawRules(web);
    const day = new Script();
    const file = join(day.stateHome, 'dns.json');
    const fallback = {
      type: 'probe',
      name: 'log-in-fallback',
      provider: { type: 'http', url: FALLBACK, timeout: 5 },
      tolerance: 200,
    };
    writeFileSync(
      file,
      JSON.stringify({
        title: 'The login survives a DNS outage on the web tier',
        description: 'dns on app_web for 4 s; the fallback answers from its cache',
        'steady-state-hypothesis': { title: 'the fallback answers', probes: [fallback] },
        method: [
          {
            type: 'action',
            name: 'break-dns',
            provider: { type: 'chaosdeck', action: 'dns', target: 'app_web', duration: 4 },
          },
        ],
      }),
    );
    const run = day.run(['run', file]);
    await waitFor('the DNS rules', async () => dropsDns(await rawRules(web)), 30_000);
    const r = await run;
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/DNS queries dropped/);
    expect(await rawRules(web)).toBe(clean);
  });

  it('a console holding a dns window is SIGKILLed: restore removes exactly its rules', async () => {
    const { web, clean, tui } = await webConsole();
    try {
      await tui.keys([':']);
      await tui.keys(['dns 2m'], { literal: true });
      await tui.keys(['Enter']);
      await tui.waitScreen(/DNS app_web/);
      await tui.keys(['Enter']);
      await waitFor('the DNS rules', async () => dropsDns(await rawRules(web)));
      process.kill(tui.pid, 'SIGKILL');
      await tui.waitExit();
      expect(dropsDns(await rawRules(web))).toBe(true);
      const r = await execa('node', ['dist/cli.js', 'restore'], {
        env: { XDG_STATE_HOME: tui.stateHome },
        reject: false,
      });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/undone: DNS queries dropped/);
      expect(await rawRules(web)).toBe(clean);
    } finally {
      await tui.stop();
    }
  });
});
