import type { Problem } from './problem.js';

/** What `${name}` may stand for: configuration first, then every secrets scope. */
export type Values = Record<string, unknown>;

// Python's string.Template, as Chaos Toolkit substitutes: `$$`, `${name}` and `$name`.
const NAME = '[_a-zA-Z][_a-zA-Z0-9]*';
const PLACEHOLDER = new RegExp(`\\$(?:(\\$)|\\{(${NAME})\\}|(${NAME}))`, 'g');
const WHOLE = new RegExp(`^\\$(?:\\{(${NAME})\\}|(${NAME}))$`);

/**
 * Replaces placeholders in every string of `value`. A string that is exactly one placeholder
 * takes the value with its type (`"${code}"` with `code: 200` is the number 200, as Chaos Toolkit
 * reads it); inside longer text a value becomes text. A `${name}` with no value is left as it is
 * and named in `missing`.
 */
export function substitute(value: unknown, values: Values, missing: Set<string>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    const name = whole?.[1] ?? whole?.[2];
    if (name !== undefined && name in values) return values[name];
    return value.replace(PLACEHOLDER, (all, dollar?: string, braced?: string, bare?: string) => {
      if (dollar) return '$';
      const key = (braced ?? bare)!;
      if (key in values) return textOf(values[key]);
      if (braced) missing.add(key);
      return all;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, values, missing));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, values, missing)]),
    );
  return value;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const ENV_TYPES: Record<string, (text: string) => unknown> = {
  str: (t) => t,
  int: (t) => (/^[+-]?\d+$/.test(t.trim()) ? Number(t) : undefined),
  float: (t) => (t.trim() !== '' && Number.isFinite(Number(t)) ? Number(t) : undefined),
  bool: (t) => !['false', '0', 'no', 'off', ''].includes(t.trim().toLowerCase()),
  json: (t) => {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return undefined;
    }
  },
};

/**
 * One scope of values (`configuration`, or a secrets scope): literals keep their type (numbers,
 * booleans, lists, mappings); `{"type":"env","key":K}` reads the environment (a string, or typed
 * by `env_var_type`: int, float, bool, str, json), else its default.
 */
export function readValues(
  entries: unknown,
  env: Record<string, string | undefined>,
  where: string,
  problems: Problem[],
): Values {
  const out: Values = {};
  if (entries === undefined) return out;
  if (!entries || typeof entries !== 'object' || Array.isArray(entries)) {
    problems.push({ path: where, message: 'a mapping of names to values' });
    return out;
  }
  for (const [key, v] of Object.entries(entries)) {
    const ref = v as { type?: unknown; key?: unknown; default?: unknown; env_var_type?: unknown };
    if (!v || typeof v !== 'object' || Array.isArray(v) || ref.type !== 'env') {
      out[key] = v;
      continue;
    }
    const at = `${where}.${key}`;
    if (typeof ref.key !== 'string' || ref.key === '') {
      problems.push({ path: `${at}.key`, message: 'the environment variable to read' });
      continue;
    }
    const text = env[ref.key];
    if (text === undefined) {
      if (ref.default !== undefined) out[key] = ref.default;
      else
        problems.push({
          path: at,
          message: `environment variable ${ref.key} is not set and there is no default`,
        });
      continue;
    }
    const type = ref.env_var_type === undefined ? 'str' : String(ref.env_var_type);
    const read = ENV_TYPES[type];
    if (!read) {
      problems.push({
        path: `${at}.env_var_type`,
        message: `${JSON.stringify(type)} is not a type (str, int, float, bool, json)`,
      });
      continue;
    }
    const value = read(text);
    if (value === undefined)
      problems.push({ path: at, message: `${ref.key}=${JSON.stringify(text)} is not ${type}` });
    else out[key] = value;
  }
  return out;
}

/** Every secrets scope's values, flattened (`secrets: {scope: {name: value}}`). */
export function readSecrets(
  secrets: unknown,
  env: Record<string, string | undefined>,
  problems: Problem[],
): Values {
  if (secrets === undefined) return {};
  if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) {
    problems.push({ path: 'secrets', message: 'a mapping of scopes, each a mapping of values' });
    return {};
  }
  const out: Values = {};
  for (const [scope, entries] of Object.entries(secrets))
    Object.assign(out, readValues(entries, env, `secrets.${scope}`, problems));
  return out;
}
