import type { Problem } from './problem.js';
import { faultCommandOf } from './chaosdeck-action.js';
import { whichProgram } from './process-args.js';
import { writtenLists } from './written-lists.js';
import { activityOrRef, type Activity } from './schema.js';

/** An item of an activity list as read: an activity, a reference, or unreadable. */
type Listed = Activity | { ref: string } | undefined;
/** The three lists of activities, each item as read (undefined where it does not read). */
interface ActivityLists {
  probes: Listed[];
  method: Listed[];
  rollbacks: Listed[];
}

/** The lists of a file that failed the schema, each item judged on its own. */
export function rawLists(doc: unknown): ActivityLists {
  const [probes, method, rollbacks] = writtenLists(doc).map(([, items]) =>
    items.map((a) => {
      const r = activityOrRef.safeParse(a);
      return r.success ? r.data : undefined;
    }),
  );
  return { probes: probes!, method: method!, rollbacks: rollbacks! };
}

/** Each problem once (two checks may name the same path with the same words). */
export function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What a schema cannot say about the activities: references resolved, the hypothesis holding
 * probes with tolerances, programs on PATH, chaosdeck actions' arguments (the commands' checks).
 */
export function activityChecks(
  lists: ActivityLists,
  problems: Problem[],
): {
  probes: (Activity | undefined)[];
  method: (Activity | undefined)[];
  rollbacks: (Activity | undefined)[];
} {
  const named = new Map<string, Activity>();
  for (const a of [...lists.probes, ...lists.method, ...lists.rollbacks])
    if (a && 'name' in a && !named.has(a.name)) named.set(a.name, a);
  const resolve = (list: Listed[], where: string) =>
    list.map((a, i): Activity | undefined => {
      if (!a || 'name' in a) return a;
      const found = named.get(a.ref);
      if (!found)
        problems.push({ path: `${where}[${i}].ref`, message: `no activity named "${a.ref}"` });
      return found;
    });
  const probes = resolve(lists.probes, 'steady-state-hypothesis.probes');
  const method = resolve(lists.method, 'method');
  const rollbacks = resolve(lists.rollbacks, 'rollbacks');
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
  const changing: [string, (Activity | undefined)[]][] = [
    ['method', method],
    ['rollbacks', rollbacks],
  ];
  for (const [where, list] of changing)
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
  return { probes, method, rollbacks };
}

/** Every python provider in the file, as a problem naming its module and function. */
export function pythonProviders(doc: unknown): Problem[] {
  const found: Problem[] = [];
  for (const [where, list] of writtenLists(doc))
    list.forEach((a, i) => {
      const p = (a as { provider?: { type?: unknown; module?: unknown; func?: unknown } })
        ?.provider;
      if (p?.type !== 'python') return;
      found.push({
        path: `${where}[${i}].provider`,
        message: `a python provider (${String(p.module ?? '?')}.${String(p.func ?? '?')}) cannot run here: chaosdeck runs process, http and chaosdeck providers`,
      });
    });
  return found;
}

/** Keys Chaos Toolkit runs with that chaosdeck reads past, where they stand in the file. */
export function ignoredKeys(doc: Record<string, unknown>): string[] {
  const found = ['controls', 'extensions', 'contributions', 'dry'].filter((k) => k in doc);
  for (const [where, list] of writtenLists(doc))
    list.forEach((a, i) => {
      if (a && typeof a === 'object' && 'controls' in a) found.push(`${where}[${i}].controls`);
    });
  return found;
}
