import { FAULT_FLAG_NAMES } from '../chaos/fault-params.js';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { readFaultCommand } from '../commands/fault-command-flags.js';
import type { FaultCommand } from '../commands/fault-command.js';
import { MAX_DURATION_MS } from '../domain/duration.js';
import { readDuration } from '../format/user-input.js';
import { whichProgram } from './process-args.js';
import type { Problem } from './problem.js';
import { readSecrets, readValues, substitute } from './values.js';
import {
  experimentSchema,
  type Activity,
  type ChaosdeckProvider,
  type HypothesisStrategy,
  type ExperimentFile,
} from './schema.js';

export type { Problem } from './problem.js';

/** An experiment ready to run: references resolved, configuration substituted. */
export interface Experiment {
  title: string;
  description: string;
  tags: string[];
  hypothesis?: { title: string; probes: Activity[] };
  method: Activity[];
  rollbacks: Activity[];
  /** When rollbacks run; chaosdeck's "default" runs them on interruption too. */
  strategy: 'default' | 'always' | 'never' | 'deviated';
  /** When the steady state is checked; during the method every `frequencyS`, maybe failing fast. */
  hypothesisStrategy: { strategy: HypothesisStrategy; frequencyS: number; failFast: boolean };
  /** The file as read (after substitution), for the journal's `experiment`. */
  source: ExperimentFile;
  /**
   * Keys of the format chaosdeck reads and ignores (controls, extensions, contributions, dry),
   * where they stand: said once when the experiment runs, and journaled.
   */
  ignored: string[];
}

/** Keys Chaos Toolkit runs with that chaosdeck reads past, where they stand in the file. */
function ignoredKeys(doc: Record<string, unknown>): string[] {
  const found = ['controls', 'extensions', 'contributions', 'dry'].filter((k) => k in doc);
  const lists: [string, unknown][] = [
    [
      'steady-state-hypothesis.probes',
      (doc['steady-state-hypothesis'] as { probes?: unknown })?.probes,
    ],
    ['method', doc.method],
    ['rollbacks', doc.rollbacks],
  ];
  for (const [where, list] of lists)
    if (Array.isArray(list))
      list.forEach((a, i) => {
        if (a && typeof a === 'object' && 'controls' in a) found.push(`${where}[${i}].controls`);
      });
  return found;
}

/** chaosdeck arguments that are switches, not values. */
const SWITCHES = new Set(['waitRecovery', 'forceLast', 'random']);
const VALUES = new Set<string>([...FAULT_FLAG_NAMES, 'timeout', 'limit']);

const camel = (key: string) => key.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());

/** "method[1].provider.action" from zod's path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/**
 * The fault command a chaosdeck activity stands for, through the commands' own flag checks
 * (the same messages as on the command line), or why it is not one.
 */
export function faultCommandOf(p: ChaosdeckProvider): FaultCommand | { error: string } {
  const flags: Record<string, string | boolean | undefined> = {
    waitRecovery: false,
    forceLast: false,
    random: false,
  };
  for (const [key, value] of Object.entries(p.arguments ?? {})) {
    const name = camel(key);
    if (SWITCHES.has(name)) {
      if (typeof value !== 'boolean') return { error: `arguments.${key}: true or false` };
      flags[name] = value;
    } else if (VALUES.has(name)) flags[name] = String(value);
    else return { error: `arguments.${key}: not an option of chaosdeck ${p.action}` };
  }
  if (p.duration !== undefined) {
    const ms =
      typeof p.duration === 'number' ? p.duration * 1000 : readDuration(p.duration, '10s, 2m');
    if (typeof ms !== 'number') return { error: `duration: ${ms.error}` };
    if (!(ms > 0) || ms > MAX_DURATION_MS)
      return { error: `duration: ${p.duration} s is not between 0 and 30 days` };
    if (p.action === 'kill' || p.action === 'stop')
      return { error: `duration: ${p.action} is a moment (Swarm replaces the task), not a window` };
    flags.for = `${ms}ms`;
  }
  // An experiment runs unattended: y/n prompts are answered by the file (force-last for the
  // last replica, which still needs it).
  flags.yes = true;
  const cmd = readFaultCommand(p.action, p.target, flags as never);
  if ('error' in cmd) return { error: cmd.error.replace(/--([a-z-]+)/g, 'arguments.$1') };
  return cmd;
}

interface ZodIssueLike {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  errors?: ZodIssueLike[][];
}

/**
 * Zod's issues as problems. A value that matches no branch of a union (an activity or a `ref`)
 * is explained by the branch it came closest to (the one with the fewest issues), not by
 * "Invalid input".
 */
function flatten(issues: readonly ZodIssueLike[], base: readonly PropertyKey[]): Problem[] {
  return issues.flatMap((i) => {
    const path = [...base, ...i.path];
    if (i.code === 'invalid_union' && i.errors?.length) {
      const closest = [...i.errors].sort((a, b) => a.length - b.length)[0]!;
      if (closest.length) return flatten(closest, path);
    }
    return [{ path: jsonPath(path), message: i.message }];
  });
}

/** Reads JSON or YAML (by content: JSON is YAML too, but its errors read better as JSON's). */
function parseText(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || /\.json$/i.test(file)) return JSON.parse(text);
  return parseYaml(text);
}

/**
 * Checks an experiment document: the schema, then what a schema cannot say (references,
 * tolerances on the hypothesis, chaosdeck arguments). Every problem is listed with its path.
 */
export function checkExperiment(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
): { experiment: Experiment } | { problems: Problem[] } {
  // `${name}` is replaced before the schema judges the values (a URL may be all variable).
  const problems: Problem[] = [];
  const top = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const valueProblems: Problem[] = [];
  // Configuration first, then the secrets scopes: as Chaos Toolkit looks a name up.
  const values = {
    ...readSecrets(top.secrets, env, valueProblems),
    ...readValues(top.configuration, env, 'configuration', valueProblems),
  };
  problems.push(...valueProblems);
  const missing = new Set<string>();
  const substituted =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.fromEntries(
          Object.entries(raw).map(([k, v]) => [
            k,
            k === 'configuration' || k === 'secrets' ? v : substitute(v, values, missing),
          ]),
        )
      : raw;
  // A configuration that could not be read names its own problems: no false "not configured".
  if (valueProblems.length === 0)
    for (const name of missing)
      problems.push({ path: 'configuration', message: `\${${name}} is used but not configured` });
  const parsed = experimentSchema.safeParse(substituted);
  if (!parsed.success) return { problems: [...problems, ...flatten(parsed.error.issues, [])] };
  const doc = parsed.data;
  const named = new Map<string, Activity>();
  const all = [
    ...(doc['steady-state-hypothesis']?.probes ?? []),
    ...doc.method,
    ...(doc.rollbacks ?? []),
  ];
  for (const a of all) if ('name' in a && !named.has(a.name)) named.set(a.name, a);
  const resolve = (list: (Activity | { ref: string })[], where: string) =>
    list.map((a, i): Activity | undefined => {
      if ('name' in a) return a;
      const found = named.get(a.ref);
      if (!found)
        problems.push({ path: `${where}[${i}].ref`, message: `no activity named "${a.ref}"` });
      return found;
    });
  const probes = resolve(
    doc['steady-state-hypothesis']?.probes ?? [],
    'steady-state-hypothesis.probes',
  );
  const method = resolve(doc.method, 'method');
  const rollbacks = resolve(doc.rollbacks ?? [], 'rollbacks');
  probes.forEach((p, i) => {
    if (!p) return;
    const at = `steady-state-hypothesis.probes[${i}]`;
    if (p.type !== 'probe')
      problems.push({ path: `${at}.type`, message: 'the hypothesis holds probes, not actions' });
    if (p.tolerance === undefined)
      problems.push({ path: `${at}.tolerance`, message: 'a hypothesis probe needs a tolerance' });
    if (p.provider.type === 'chaosdeck')
      problems.push({
        path: `${at}.provider.type`,
        message: 'a chaosdeck action changes the swarm; a probe must not',
      });
  });
  // As Chaos Toolkit validates: a process provider's program must be found now, on the PATH it
  // will run with (this process's, not the configuration's environment).
  const everywhere: [string, (Activity | undefined)[]][] = [
    ['steady-state-hypothesis.probes', probes],
    ['method', method],
    ['rollbacks', rollbacks],
  ];
  for (const [where, list] of everywhere)
    list.forEach((a, i) => {
      if (a?.provider.type === 'process' && !whichProgram(a.provider.path))
        problems.push({
          path: `${where}[${i}].provider.path`,
          message: `${JSON.stringify(a.provider.path)} is not a program on PATH (Chaos Toolkit checks it too)`,
        });
    });
  const lists: [string, (Activity | undefined)[]][] = [
    ['method', method],
    ['rollbacks', rollbacks],
  ];
  for (const [where, list] of lists)
    list.forEach((a, i) => {
      if (a?.provider.type !== 'chaosdeck') return;
      const cmd = faultCommandOf(a.provider);
      if (!('error' in cmd)) return;
      // "arguments.cpus: …" names its key; other messages are about the arguments as a whole.
      const m = /^((?:arguments\.[\w-]+|duration)): (.*)$/.exec(cmd.error);
      problems.push({
        path: `${where}[${i}].provider.${m ? m[1] : 'arguments'}`,
        message: m ? m[2]! : cmd.error,
      });
    });
  if (problems.length) return { problems };
  const known = (list: (Activity | undefined)[]) => list.filter((a): a is Activity => !!a);
  const hypothesis = doc['steady-state-hypothesis'];
  return {
    experiment: {
      title: doc.title,
      description: doc.description,
      tags: doc.tags ?? [],
      ...(hypothesis ? { hypothesis: { title: hypothesis.title, probes: known(probes) } } : {}),
      method: known(method),
      rollbacks: known(rollbacks),
      strategy: doc.runtime?.rollbacks?.strategy ?? 'default',
      hypothesisStrategy: {
        strategy: doc.runtime?.hypothesis?.strategy ?? 'default',
        // Chaos Toolkit's default frequency: a check every second.
        frequencyS: doc.runtime?.hypothesis?.frequency ?? 1,
        failFast: doc.runtime?.hypothesis?.fail_fast ?? false,
      },
      source: doc,
      ignored: ignoredKeys(doc),
    },
  };
}

/** Reads and checks an experiment file; a file that cannot be read or parsed is one problem. */
export function loadExperiment(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): { experiment: Experiment } | { problems: Problem[] } {
  let raw: unknown;
  try {
    raw = parseText(readFileSync(file, 'utf8'), file);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const message = e.code === 'ENOENT' ? 'no such file' : e.message.split('\n')[0]!;
    return { problems: [{ path: '(file)', message }] };
  }
  return checkExperiment(raw, env);
}
