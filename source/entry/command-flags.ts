export { readFaultCommand, type FaultCommandFlags } from '../fault-run/fault-plan.js';

/** The fault subcommands: the fault kinds, by their names. */
export { FAULT_KINDS } from '../faults/registry.js';
import { FAULT_FLAG_NAMES } from '../faults/params.js';

/** Every flag (meow's schema); fault flags have no default so "not given" can be told apart. */
export const FLAGS = {
  // More than once: the other managers the swarm is followed through when the first is cut off.
  host: { type: 'string', shortFlag: 'H', isMultiple: true, default: [] as string[] },
  context: { type: 'string', shortFlag: 'c' },
  tls: { type: 'boolean', default: false },
  tlsverify: { type: 'boolean', default: false },
  tlscacert: { type: 'string' },
  tlscert: { type: 'string' },
  tlskey: { type: 'string' },
  node: { type: 'string', isMultiple: true, default: [] as string[] },
  yes: { type: 'boolean', shortFlag: 'y', default: false },
  protect: { type: 'string', isMultiple: true, default: [] as string[] },
  readOnly: { type: 'boolean', default: false },
  dryRun: { type: 'boolean', default: false },
  audit: { type: 'string' },
  config: { type: 'string' },
  probe: { type: 'string', isMultiple: true, default: [] as string[] },
  tcImage: { type: 'string', default: 'ghcr.io/alexei-led/pumba-alpine-nettools:latest' },
  // No default: --no-helpers (false) differs from not saying (undefined: the console may offer).
  helpers: { type: 'boolean' },
  helperImage: { type: 'string' },
  helperSocket: { type: 'string' },
  probeInterval: { type: 'string', default: '1s' },
  probeTimeout: { type: 'string', default: '10s' },
  from: { type: 'string' },
  color: { type: 'boolean', default: true },
  journal: { type: 'string' },
  json: { type: 'boolean', default: false },
  service: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', shortFlag: 'o' },
  for: { type: 'string' },
  waitRecovery: { type: 'boolean', default: false },
  timeout: { type: 'string' },
  every: { type: 'string' },
  times: { type: 'string' },
  forceLast: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  random: { type: 'boolean', default: false },
  limit: { type: 'string' },
  // The fault kinds' own flags (their modules name them).
  ...(Object.fromEntries(FAULT_FLAG_NAMES.map((name) => [name, { type: 'string' }])) as Record<
    string,
    { type: 'string' }
  >),
  validate: { type: 'boolean', default: false },
  // No default: --no-watchdog (false) is the only thing said.
  watchdog: { type: 'boolean' },
  watchdogImage: { type: 'string' },
  holderGrace: { type: 'string' },
  maxHold: { type: 'string' },
  // The watchdog's own (chaosdeck watchdog FAULT-ID --ends-in D).
  endsIn: { type: 'string' },
  experiments: { type: 'string' },
} as const;

/** Flags that take a value, so "--for -1s" reaches the flag's own check. */
export const VALUE_FLAGS = Object.entries(FLAGS)
  .filter(([, f]) => f.type === 'string')
  .flatMap(([name, f]) => [
    `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    ...('shortFlag' in f ? [`-${f.shortFlag}`] : []),
  ]);
