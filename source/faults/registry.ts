import { cpu } from './cpu.js';
import { dns } from './dns.js';
import { drain } from './drain.js';
import type { FaultRecord } from '../domain/fault.js';
import type { FaultHome, FaultModule } from './fault-module.js';
import { kill } from './kill.js';
import { memory } from './memory.js';
import { net } from './net/net.js';
import { partition } from './partition.js';
import { pause } from './pause.js';
import { stop } from './stop.js';
import { stress } from './stress.js';

/**
 * Every kind of fault chaosdeck can inject, in the order keys, commands and docs list them: the
 * one list. A new kind is a module beside these and a line here.
 */
export const FAULTS: readonly FaultModule[] = [
  kill,
  stop,
  pause,
  cpu,
  memory,
  net,
  dns,
  stress,
  drain,
  partition,
];

/** The kinds' names. */
export const FAULT_KINDS: readonly string[] = FAULTS.map((f) => f.kind);

/** True when `name` is one of the fault kinds. */
export function isFaultKind(name: string): boolean {
  return FAULTS.some((f) => f.kind === name);
}

/** The module of a kind; a kind not in the registry is a bug (ledger entries are checked on read). */
export function faultModule(kind: string): FaultModule {
  const m = FAULTS.find((f) => f.kind === kind);
  if (!m) throw new Error(`no fault kind "${kind}"`);
  return m;
}

/** The kind a console key starts, if any. */
export function faultByKey(key: string): FaultModule | undefined {
  return FAULTS.find((f) => f.key === key);
}

/** A kind's traits (what the guards, the commands and the record need to know of it). */
export function traitsOf(kind: string): FaultModule['traits'] {
  return faultModule(kind).traits;
}

/** Where an active fault lives: its container, its service, its node, or nowhere (a kill). */
export function faultHome(record: FaultRecord): FaultHome {
  return record.undo.kind === 'none' ? 'nothing' : faultModule(record.kind).home(record.undo);
}
