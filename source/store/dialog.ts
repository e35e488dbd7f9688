import type { FaultKind, FaultRecord, FaultTarget } from '../domain/fault.js';
import { faultModule } from '../faults/registry.js';
import type { Service } from '../domain/types.js';
import type { ServiceAction } from '../game-day/service-actions.js';
import { editField, textField, type EditKey, type TextField } from './text-field.js';

/** Keys a dialog understands. */
export type DialogCommand =
  /** A key typed into the dialog: it edits a field, or answers y/n at the confirmation. */
  | { type: 'edit'; input: string; key: EditKey }
  | { type: 'field'; step: 1 | -1 }
  | { type: 'submit' }
  | { type: 'cancel' }
  | { type: 'yes' }
  | { type: 'no' };

/** One prompt field of a fault dialog. */
export interface DialogField {
  name: string;
  label: string;
  /** What is typed; it opens holding the default, selected (typing replaces it). */
  input: TextField;
  /** Taken when the field is left empty; none for a field whose empty means something. */
  fallback?: string;
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
  /** What ends it if this console cannot: its watchdog's promise, or "only while chaosdeck runs". */
  ending?: string;
  guard?: { name: string; reason: string };
  /** The service name typed to confirm a last-replica fault. */
  typed: TextField;
  error?: string;
}

/** Faults left active by an earlier chaosdeck that died; offered for undo at start. */
export interface LeftoverDialog {
  type: 'leftovers';
  records: FaultRecord[];
  stage: 'confirm' | 'running';
  error?: string;
}

/** A scale or restart of the selected service, waiting for y/n. */
export interface ServiceDialog {
  type: 'service';
  action: ServiceAction;
  service: Pick<Service, 'id' | 'name' | 'mode' | 'desired' | 'running'>;
  stage: 'confirm' | 'running';
  error?: string;
}

/** An experiment file the console offers (`R`), or why it cannot run. */
export interface ExperimentChoice {
  file: string;
  title?: string;
  problem?: string;
}

/** The experiments in the experiments directory, one to choose (`R`). */
export interface ExperimentDialog {
  type: 'experiments';
  dir: string;
  items: ExperimentChoice[];
  index: number;
}

/** Swarm helpers offered for a node without an endpoint (y/n), then the fault key goes on. */
export interface HelpersDialog {
  type: 'helpers';
  nodeName: string;
  image: string;
  socket: string;
  then: { kind: FaultKind; given?: Record<string, string> };
}

/** Any dialog. */
export type Dialog =
  FaultDialog | LeftoverDialog | ServiceDialog | ExperimentDialog | HelpersDialog;

/**
 * A new dialog for a fault on a target, each field holding its default (selected: typing
 * replaces it) or, from a command line, the value given. Its kind's module names the fields.
 */
export function openFaultDialog(
  kind: FaultKind,
  target: FaultTarget,
  given: Record<string, string> = {},
): FaultDialog {
  const fields = faultModule(kind).fields.map((f) => {
    const byDefault = f.default ?? '';
    const value = given[f.name] ?? byDefault;
    return {
      name: f.name,
      label: f.label,
      hint: f.hint,
      input: textField(value, given[f.name] === undefined),
      ...(byDefault && !f.emptyMeansNone ? { fallback: byDefault } : {}),
    };
  });
  return {
    type: 'fault',
    kind,
    target,
    fields,
    index: 0,
    stage: fields.length > 0 ? 'edit' : 'checking',
    typed: textField(),
  };
}

/** A key typed into the current field (edit) or the name box (confirm-name). */
export function editDialog(d: FaultDialog, input: string, key: EditKey): FaultDialog {
  if (d.stage === 'confirm-name') {
    const typed = editField(d.typed, input, key);
    return typed ? { ...d, typed, error: undefined } : d;
  }
  if (d.stage !== 'edit') return d;
  const current = d.fields[d.index];
  const next = current && editField(current.input, input, key);
  if (!next) return d;
  return {
    ...d,
    error: undefined,
    fields: d.fields.map((f, i) => (i === d.index ? { ...f, input: next } : f)),
  };
}

/** Moves between fields. */
export function moveField(d: FaultDialog, step: number): FaultDialog {
  if (d.stage !== 'edit' || d.fields.length === 0) return d;
  return { ...d, index: (d.index + step + d.fields.length) % d.fields.length };
}

/** The field values as a request's params (an empty field takes its default). */
export function dialogParams(d: FaultDialog): Record<string, string> {
  return Object.fromEntries(
    d.fields.map((f) => [f.name, f.input.text.trim() || (f.fallback ?? '')]),
  );
}
