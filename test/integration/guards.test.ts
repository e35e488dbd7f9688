import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { inspectContainer, targetOf } from '../helpers/chaos-lab.js';
import { describeLab, docker } from '../helpers/lab.js';
import { consoleCases, Tui } from '../helpers/tui.js';

// Each case presses p on lab_api (2 replicas: no last-replica prompt) and checks nothing was paused.
async function tryPause(tui: Tui): Promise<string> {
  const target = await targetOf('lab_api');
  await tui.keys(['g', 'Enter']);
  await tui.waitScreen(/▸ Tasks of lab_api/);
  await tui.keys(target.slotName.endsWith('.2') ? ['j', 'p'] : ['p']);
  return target.containerId;
}

describeLab('guards, through the console', () => {
  const cases = consoleCases();
  let tui: Tui | undefined;

  afterAll(async () => {
    await docker([
      'service',
      'update',
      '--detach',
      '--label-rm',
      'chaosdeck.protect',
      'lab_api',
    ]).catch(() => undefined);
  });

  it('--read-only: no fault keys in the footer, p does nothing to the container', async () => {
    tui = cases.tui = await new Tui().start(['--read-only']);
    const id = await tryPause(tui);
    const screen = await tui.waitScreen(/read-only: faults are off/);
    expect(screen).toMatch(/Tab pane/);
    expect(screen).not.toMatch(/x kill|p pause/);
    expect(await inspectContainer(id, '{{.State.Paused}}')).toBe('false');
  });

  it('--protect REGEX refuses the service', async () => {
    tui = cases.tui = await new Tui().start(['--yes', '--protect', '^lab_a']);
    const id = await tryPause(tui);
    await tui.keys(['Enter']);
    await tui.waitScreen(/refused: lab_api is protected \(--protect \^lab_a\)/);
    expect(await inspectContainer(id, '{{.State.Paused}}')).toBe('false');
  });

  it('the label chaosdeck.protect=true refuses the service', async () => {
    await docker([
      'service',
      'update',
      '--detach',
      '--label-add',
      'chaosdeck.protect=true',
      'lab_api',
    ]);
    tui = cases.tui = await new Tui().start(['--yes']);
    const id = await tryPause(tui);
    await tui.keys(['Enter']);
    await tui.waitScreen(/refused: lab_api is protected \(label chaosdeck\.protect=true\)/);
    expect(await inspectContainer(id, '{{.State.Paused}}')).toBe('false');
    await docker(['service', 'update', '--detach', '--label-rm', 'chaosdeck.protect', 'lab_api']);
  });

  it('--dry-run shows and logs the pause, changes nothing', async () => {
    tui = cases.tui = await new Tui().start(['--dry-run']);
    const id = await tryPause(tui);
    await tui.keys(['Enter']);
    // The title says dry-run from the first field on; y counts only once the question is asked
    // (a y typed while the guards are still checking is dropped, on purpose).
    await tui.waitScreen(/dry-run: nothing will change[\s\S]*y = go ahead/);
    await tui.keys(['y']);
    await tui.waitScreen(/dry-run, nothing changed: pause on lab_api/);
    await tui.waitScreen(/\[dry-run\] pause on lab_api/);
    expect(await inspectContainer(id, '{{.State.Paused}}')).toBe('false');
    const audit = readFileSync(join(tui.stateHome, 'chaosdeck', 'audit.log'), 'utf8');
    expect(audit).toMatch(/"action":"pause".*"result":"dry-run"/);
  });

  it('the last replica needs its service name typed; a wrong name and Esc change nothing', async () => {
    tui = cases.tui = await new Tui().start(['--yes']);
    const db = await targetOf('lab_db');
    await tui.keys(['j', 'Enter', 'p', 'Enter']);
    await tui.waitScreen(/this is the last running replica of lab_db\. Type lab_db/);
    await tui.keys(['lab_web'], { literal: true });
    await tui.keys(['Enter']);
    await tui.waitScreen(/type lab_db exactly, or Esc/);
    expect(await inspectContainer(db.containerId, '{{.State.Paused}}')).toBe('false');
    await tui.keys(['Escape']);
    await tui.waitScreen(/pause cancelled/);
    expect(await inspectContainer(db.containerId, '{{.State.Paused}}')).toBe('false');
  });

  it('without --yes, n cancels at the confirmation', async () => {
    tui = cases.tui = await new Tui().start([]);
    const id = await tryPause(tui);
    // Not read-only: the fault keys are offered where they work.
    expect(await tui.screen()).toMatch(/x kill · s stop · p pause/);
    await tui.keys(['Enter']);
    await tui.waitScreen(/pause on lab_api\.\d \(container [0-9a-f]{12} on vm\)\?/);
    await tui.keys(['n']);
    await tui.waitScreen(/pause cancelled/);
    expect(await inspectContainer(id, '{{.State.Paused}}')).toBe('false');
  });
});
