import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { withFound, type Problem } from './problem.js';
import { readSecrets, readValues, substitute } from './values.js';
import {
  activityChecks,
  dedupe,
  ignoredKeys,
  pythonProviders,
  rawLists,
} from './activity-checks.js';
export { faultCommandOf } from './chaosdeck-action.js';
import { flatten } from './schema-problems.js';
export { jsonPath } from './schema-problems.js';
import {
  experimentSchema,
  type Activity,
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
  /** The file as read (after substitution). */
  source: ExperimentFile;
  /**
   * The file as written, before substitution: what the journals keep (as Chaos Toolkit's does),
   * so a secret read from the environment never lands in a file or in --json.
   */
  written: unknown;
  /**
   * Keys of the format chaosdeck reads and ignores (controls, extensions, contributions, dry),
   * where they stand: said once when the experiment runs, and journaled.
   */
  ignored: string[];
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
  // Python providers cannot run here: one line each, naming what it would have called; the
  // schema's own complaint about the same provider would only repeat it.
  const python = pythonProviders(substituted);
  problems.push(...python);
  const parsed = experimentSchema.safeParse(substituted);
  if (!parsed.success) {
    const seen = python.map((p) => p.path);
    const schema = flatten(parsed.error.issues, []).filter(
      (p) => !seen.some((at) => p.path === at || p.path.startsWith(`${at}.`)),
    );
    problems.push(...schema);
    // Every problem, not the first part's: the activities that read well are still judged
    // (a wrong provider does not hide a bad duration beside it, nor a reference to nowhere).
    activityChecks(rawLists(substituted), problems);
    return { problems: withFound(dedupe(problems), raw) };
  }
  const doc = parsed.data;
  const { probes, method, rollbacks } = activityChecks(
    {
      probes: doc['steady-state-hypothesis']?.probes ?? [],
      method: doc.method,
      rollbacks: doc.rollbacks ?? [],
    },
    problems,
  );
  if (problems.length) return { problems: withFound(problems, raw) };
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
      written: raw,
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
