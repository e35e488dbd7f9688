import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { faultRecordSchema } from '../../source/chaos/ledger-schema.js';
import { readFaultCommand } from '../../source/fault-run/fault-plan.js';
import { FAULT_KINDS, faultModule } from '../../source/faults/registry.js';
import { activityOrRef } from '../../source/experiment/schema.js';
import { describeFault } from '../../source/faults/lines.js';
import { COMMANDS, parseCommandLine } from '../../source/store/command-line.js';
import { openFaultDialog } from '../../source/store/dialog.js';
import { KEY_HELP } from '../../source/ui/key-help.js';
import { keyCommand } from '../../source/ui/keymap.js';

const TARGET = {
  serviceId: 's1',
  serviceName: 'lab_api',
  taskId: 't1',
  slotName: 'lab_api.1',
  containerId: 'c'.repeat(64),
  nodeId: 'n1',
  nodeName: 'vm',
};

/** Each kind's least flags (as a script gives them) and parameters (as its ledger entry keeps them). */
const SAMPLE: Record<string, { flags: Record<string, string>; params: Record<string, string> }> = {
  kill: { flags: {}, params: { signal: 'SIGKILL' } },
  stop: { flags: {}, params: { grace: '10' } },
  pause: { flags: {}, params: {} },
  cpu: { flags: { cpus: '0.2' }, params: { cpus: '0.2', scope: 'container' } },
  memory: { flags: { memory: '50m' }, params: { limit: '50m', scope: 'container' } },
  net: { flags: { loss: '30%' }, params: { type: 'loss', amount: '30%' } },
  dns: { flags: {}, params: { method: 'iptables via nsenter' } },
  stress: { flags: { workers: '2' }, params: { workers: '2' } },
  drain: { flags: {}, params: {} },
  partition: { flags: {}, params: { from: 'managers', duration: '60s' } },
};

/** The key that gives each kind in the tasks pane. */
function keyOf(kind: string): string | undefined {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return [...letters].find((ch) => {
    const c = keyCommand(ch, {}, 'tasks');
    return c?.type === 'fault' && c.kind === kind;
  });
}

// A fault kind is whole only with every piece a person and a script reach it by: a test per
// piece, over the one list of kinds, so a new kind cannot be half added.
describe.each([...FAULT_KINDS])('the %s fault has every piece', (kind) => {
  it('a sample here (flags and params), so every test below runs for it', () => {
    expect(SAMPLE[kind]).toBeDefined();
  });
  it('traits, fields and flags that name what prepare reads', () => {
    const m = faultModule(kind);
    expect(m.traits).toBeDefined();
    const params = m.params(SAMPLE[kind]!.flags);
    expect('error' in params ? params.error : 'ok').toBe('ok');
  });
  it('a key in the tasks pane, listed in the help', () => {
    const key = keyOf(kind);
    expect(key).toBeDefined();
    expect(KEY_HELP.some((k) => k.keys === key && k.fault)).toBe(true);
  });
  it('a dialog', () => {
    expect(openFaultDialog(kind, TARGET).kind).toBe(kind);
  });
  it('a `:` command, named in the completion list', () => {
    expect(COMMANDS.some((c) => c.name === kind)).toBe(true);
    const parsed = parseCommandLine(kind);
    expect(parsed.type === 'error' ? parsed.message : parsed.type).not.toMatch(/unknown/);
  });
  it('a scripted command', () => {
    const cmd = readFaultCommand(kind, 'lab_api', SAMPLE[kind]!.flags as never);
    expect('error' in cmd ? cmd.error : cmd.kind).toBe(kind);
  });
  it('an experiment action', () => {
    const r = activityOrRef.safeParse({
      type: 'action',
      name: `${kind} it`,
      provider: { type: 'chaosdeck', action: kind, target: 'lab_api' },
    });
    expect(r.success).toBe(true);
  });
  it('a ledger entry', () => {
    const r = faultRecordSchema.safeParse({
      id: 'f1',
      kind,
      target: TARGET,
      params: SAMPLE[kind]!.params,
      undo: { kind: 'none' },
      appliedAt: 0,
      status: 'active',
      pid: 4242,
    });
    expect(r.success ? kind : r.error.issues.map((i) => i.path.join('.'))).toBe(kind);
  });
  it('a line for the faults bar, journal and report, its own', () => {
    const line = describeFault(kind, SAMPLE[kind]!.params);
    expect(line).not.toBe('');
    const others = FAULT_KINDS.filter((k) => k !== kind).map((k) =>
      describeFault(k, SAMPLE[k]!.params),
    );
    expect(others).not.toContain(line);
  });
});

// The docs a person reads name every kind too: the fault table, the keys and the commands.
describe.each([...FAULT_KINDS])('the %s fault is in the docs', (kind) => {
  const doc = (name: string) =>
    readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
  it('a row of the fault table (docs/faults.md)', () => {
    expect(doc('faults.md')).toMatch(
      new RegExp(`^\\| \`${kind}\` +\\| \`${faultModule(kind).key}\` `, 'm'),
    );
  });
  it('its key in docs/keys.md', () => {
    expect(doc('keys.md')).toMatch(new RegExp(`^\\| ${faultModule(kind).key} +\\|`, 'm'));
  });
  it('its : command in docs/keys.md and its scripted command in docs/commands.md', () => {
    expect(doc('keys.md')).toContain(`\`:${kind}`);
    expect(doc('commands.md')).toMatch(new RegExp(`[|\`]${kind}\\b`));
  });
});
