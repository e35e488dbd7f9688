import type { FaultKind, FaultRecord, FaultTarget } from '../domain/fault.js';

/** One prompt field of a fault dialog. */
export interface DialogField {
  name: string;
  label: string;
  value: string;
  hint: string;
}

/** The fault being set up: fields, then confirmation, then (maybe) typing the service name. */
export interface FaultDialog {
  type: 'fault';
  kind: FaultKind;
  target: FaultTarget;
  fields: DialogField[];
  index: number;
  stage: 'edit' | 'checking' | 'confirm' | 'confirm-name' | 'running';
  description?: string;
  guard?: { name: string; reason: string };
  typed: string;
  error?: string;
}

/** Faults left active by an earlier chaosdeck that died; offered for undo at start. */
export interface LeftoverDialog {
  type: 'leftovers';
  records: FaultRecord[];
  stage: 'confirm' | 'running';
  error?: string;
}

/** Any dialog. */
export type Dialog = FaultDialog | LeftoverDialog;

const FIELDS: Record<FaultKind, Omit<DialogField, 'value'>[]> = {
  kill: [{ name: 'signal', label: 'signal', hint: 'SIGKILL, SIGTERM, SIGINT, SIGHUP or SIGQUIT' }],
  stop: [{ name: 'grace', label: 'grace seconds', hint: 'then SIGKILL' }],
  pause: [{ name: 'duration', label: 'duration', hint: '30s, 2m; empty: until undone' }],
  cpu: [
    { name: 'cpus', label: 'CPU limit', hint: 'CPUs (0.2) or % of the current (50%)' },
    { name: 'scope', label: 'scope', hint: 'container (in place) or service (restarts tasks)' },
    { name: 'duration', label: 'duration', hint: '30s, 2m; empty: until undone' },
  ],
  memory: [
    { name: 'limit', label: 'memory limit', hint: 'e.g. 50m, 384m, 1g' },
    { name: 'scope', label: 'scope', hint: 'container (in place) or service (restarts tasks)' },
    { name: 'duration', label: 'duration', hint: '30s, 2m; empty: until undone' },
  ],
  drain: [],
  net: [
    { name: 'type', label: 'type', hint: 'delay (netem), loss (netem, else iptables), rate (tbf)' },
    { name: 'amount', label: 'amount', hint: 'delay: 1000ms · loss: 30% · rate: 1mbit' },
    { name: 'jitter', label: 'jitter', hint: 'delay only, e.g. 100ms; empty: none' },
    { name: 'duration', label: 'duration', hint: '30s, 2m; empty: until undone' },
    {
      name: 'method',
      label: 'method',
      hint: 'auto, nsenter (root on the node) or helper (container)',
    },
  ],
};

const DEFAULTS: Record<string, string> = {
  signal: 'SIGKILL',
  grace: '10',
  duration: '',
  cpus: '50%',
  limit: '50m',
  scope: 'container',
};

/** A new dialog for a fault on a target, fields at their defaults. */
export function openFaultDialog(kind: FaultKind, target: FaultTarget): FaultDialog {
  // A delay window defaults to 30 s (the seed game days used 30 s and 120 s).
  const fields = FIELDS[kind].map((f) => ({
    ...f,
    value: kind === 'net' && f.name === 'duration' ? '30s' : (DEFAULTS[f.name] ?? ''),
  }));
  return {
    type: 'fault',
    kind,
    target,
    fields,
    index: 0,
    stage: fields.length > 0 ? 'edit' : 'checking',
    typed: '',
  };
}

/** Types into the current field (edit) or the name box (confirm-name). */
export function typeInto(d: FaultDialog, text: string): FaultDialog {
  if (d.stage === 'confirm-name') return { ...d, typed: d.typed + text, error: undefined };
  if (d.stage !== 'edit') return d;
  return {
    ...d,
    error: undefined,
    fields: d.fields.map((f, i) => (i === d.index ? { ...f, value: f.value + text } : f)),
  };
}

/** Deletes the last character of the current field or name box. */
export function backspace(d: FaultDialog): FaultDialog {
  const cut = (s: string) => [...s].slice(0, -1).join('');
  if (d.stage === 'confirm-name') return { ...d, typed: cut(d.typed) };
  if (d.stage !== 'edit') return d;
  return {
    ...d,
    fields: d.fields.map((f, i) => (i === d.index ? { ...f, value: cut(f.value) } : f)),
  };
}

/** Moves between fields. */
export function moveField(d: FaultDialog, step: number): FaultDialog {
  if (d.stage !== 'edit' || d.fields.length === 0) return d;
  return { ...d, index: (d.index + step + d.fields.length) % d.fields.length };
}

/** The field values as a request's params. */
export function dialogParams(d: FaultDialog): Record<string, string> {
  return Object.fromEntries(d.fields.map((f) => [f.name, f.value]));
}
