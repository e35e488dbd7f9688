import type { FaultKind } from '../domain/fault.js';
import { FAULT_FLAG_NAMES, faultParams } from '../faults/params.js';
import { FAULTS, faultModule, isFaultKind } from '../faults/registry.js';
import { clip, echo } from '../format/user-input.js';
import type { ServiceAction } from '../game-day/service-actions.js';

/** How the services list is sorted. */
export type ServiceSort = 'name' | 'replicas' | 'changed';

/** What a `:` command line asks for. */
export type CommandLine =
  | { type: 'fault'; kind: FaultKind; params: Record<string, string> }
  | { type: 'undo' }
  | { type: 'halt' }
  | { type: 'note'; text: string }
  | { type: 'report' }
  | { type: 'svc'; name: string }
  | { type: 'sort'; by: ServiceSort }
  | { type: 'service'; action: ServiceAction }
  | { type: 'help' }
  | { type: 'quit' }
  | { type: 'error'; message: string };

/** Every command, in the order completion offers them (with what follows, for the hint). */
export const COMMANDS: { name: string; args: string }[] = [
  ...FAULTS.map((f) => ({ name: f.kind, args: f.lineArgs })),
  { name: 'undo', args: '' },
  { name: 'halt', args: '' },
  { name: 'note', args: 'TEXT' },
  { name: 'report', args: '' },
  { name: 'svc', args: 'NAME' },
  { name: 'scale', args: 'REPLICAS' },
  { name: 'restart', args: '' },
  { name: 'sort', args: 'name|replicas|changed' },
  { name: 'help', args: '' },
  { name: 'q', args: '' },
];

const ALIASES: Record<string, string> = {
  ...Object.fromEntries(FAULTS.flatMap((f) => (f.aliases ?? []).map((a) => [a, f.kind]))),
  quit: 'q',
  service: 'svc',
};

/** Splits "--flag value", "--flag=value" and the words between. */
function words(args: string[]): { positional: string[]; flags: Record<string, string> } | string {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? args[++i];
    if (value === undefined) return `--${name} needs a value`;
    flags[name] = value;
  }
  return { positional, flags };
}

// The words after a fault command are its flags in order (its module reads them), and --flags
// are the scripted commands' own (the same parser after that).
function faultLine(kind: FaultKind, args: string[]): CommandLine {
  const split = words(args);
  if (typeof split === 'string') return { type: 'error', message: split };
  const read = faultModule(kind).lineWords(split.positional);
  if (typeof read === 'string') return { type: 'error', message: read };
  const flags: Record<string, string> = { ...read, ...split.flags };
  const { for: duration, ...faultFlags } = flags;
  const unknown = Object.keys(faultFlags).find((f) => !FAULT_FLAG_NAMES.includes(f));
  if (unknown) return { type: 'error', message: `--${clip(unknown)} is not an option of ${kind}` };
  const parsed = faultParams(kind, faultFlags);
  if ('error' in parsed) return { type: 'error', message: parsed.error };
  return {
    type: 'fault',
    kind,
    params: { ...parsed.params, ...(duration !== undefined ? { duration } : {}) },
  };
}

/** A command's usage line: "cpu CPUS [container|service] [DURATION]". */
export function usage(name: string): string {
  const command = COMMANDS.find((c) => c.name === name);
  return command ? `${command.name} ${command.args}`.trim() : name;
}

/** Parses what was typed after `:`. */
export function parseCommandLine(text: string): CommandLine {
  const [first = '', ...args] = text.trim().split(/\s+/);
  const name = ALIASES[first.toLowerCase()] ?? first.toLowerCase();
  if (isFaultKind(name)) return faultLine(name, args);
  const rest = args.join(' ');
  switch (name) {
    case 'undo':
    case 'halt':
    case 'report':
    case 'help':
    case 'q':
      return args.length
        ? { type: 'error', message: `${name} takes nothing` }
        : { type: name === 'q' ? 'quit' : name };
    case 'note':
      return rest ? { type: 'note', text: rest } : { type: 'error', message: 'note TEXT' };
    case 'svc':
      return rest ? { type: 'svc', name: rest } : { type: 'error', message: 'svc NAME' };
    case 'scale': {
      const replicas = /^\d+$/.test(rest) ? Number(rest) : NaN;
      return Number.isInteger(replicas)
        ? { type: 'service', action: { kind: 'scale', replicas } }
        : { type: 'error', message: 'scale REPLICAS (a whole number, e.g. :scale 3)' };
    }
    case 'restart':
      return args.length
        ? { type: 'error', message: 'restart takes nothing (it restarts the selected service)' }
        : { type: 'service', action: { kind: 'restart' } };
    case 'sort':
      return ['name', 'replicas', 'changed'].includes(rest)
        ? { type: 'sort', by: rest as ServiceSort }
        : { type: 'error', message: 'sort name, replicas or changed' };
    case '':
      return { type: 'error', message: 'type a command; Tab completes' };
    default:
      return { type: 'error', message: `no command ${echo(first)} (Tab completes; ? lists keys)` };
  }
}

/** Completes the command name being typed: to the one match (and a space), or their common start. */
export function completeCommand(text: string): string {
  if (/\s/.test(text.trimStart())) return text;
  const typed = text.trim().toLowerCase();
  const matches = COMMANDS.map((c) => c.name).filter((n) => n.startsWith(typed));
  if (matches.length === 0) return text;
  if (matches.length === 1) return `${matches[0]} `;
  let common = matches[0]!;
  for (const m of matches) while (!m.startsWith(common)) common = common.slice(0, -1);
  return common.length > typed.length ? common : text;
}

/**
 * What the command line shows after the text: the rest of the one matching name and its usage
 * (continuing the word), the names that match, or the usage of the command typed.
 */
export function commandHint(text: string): string {
  const [first = '', ...rest] = text.trimStart().split(/\s+/);
  if (rest.length === 0) {
    const matches = COMMANDS.filter((c) => c.name.startsWith(first.toLowerCase()));
    if (first && matches.length === 1)
      return `${matches[0]!.name.slice(first.length)} ${matches[0]!.args}`.trimEnd();
    return matches.length ? `  (${matches.map((c) => c.name).join(' ')})` : '';
  }
  const name = ALIASES[first.toLowerCase()] ?? first.toLowerCase();
  return COMMANDS.some((c) => c.name === name) ? `  ${usage(name)}` : '';
}
