import { isDeepStrictEqual } from 'node:util';
import { JSONPath } from 'jsonpath-plus';
import { percentile } from '../domain/latency.js';
import { pythonRegex } from './py-regex.js';
import type { Tolerance } from './schema.js';

/** A probe's answer: a process's exit status and output, or an HTTP status and body. */
export type ProbeOutput =
  | { status: number; stdout: string; stderr: string }
  | { status: number; headers: Record<string, string>; body: string };

/** What a tolerance check concluded, and why, in words for the verdict. */
export interface ToleranceVerdict {
  ok: boolean;
  why: string;
}

type Scalar = boolean | number | string;

/** Text a regex or string tolerance reads: stdout for a process, the body for HTTP. */
function textOf(output: ProbeOutput, target?: string): string {
  const o = output as Record<string, unknown>;
  const key = target ?? ('stdout' in output ? 'stdout' : 'body');
  const v = o[key];
  return typeof v === 'string' ? v : JSON.stringify(v ?? '');
}

/**
 * What a JSONPath tolerance reads, as Chaos Toolkit reads it: the `target` field, else the whole
 * answer; text that is JSON is read as JSON (an HTTP body of application/json is already parsed
 * there).
 */
function jsonPathValues(path: string, output: ProbeOutput, target?: string): unknown[] {
  const parse = (v: unknown) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  };
  const o = output as Record<string, unknown>;
  const json =
    target !== undefined
      ? parse(o[target] ?? output)
      : { ...o, ...('body' in o ? { body: parse(o.body) } : {}) };
  if (json === null || typeof json !== 'object') return [];
  return JSONPath({ path, json: json as object, wrap: true }) as unknown[];
}

/** Did the probe succeed: exit 0, or an HTTP status below 400. */
function succeeded(output: ProbeOutput): boolean {
  return 'stdout' in output ? output.status === 0 : output.status < 400;
}

function scalarMatches(value: Scalar, output: ProbeOutput): boolean {
  if (typeof value === 'boolean') return succeeded(output) === value;
  if (typeof value === 'number') return output.status === value;
  return textOf(output).trim() === value;
}

function describe(output: ProbeOutput): string {
  const text = textOf(output).trim().split('\n')[0]!.slice(0, 60);
  const status = 'stdout' in output ? `exit ${output.status}` : `HTTP ${output.status}`;
  return text ? `${status}, "${text}"` : status;
}

/**
 * Judges one probe answer against its tolerance, as Chaos Toolkit does: a boolean is success,
 * a number the exit status or HTTP status, a string the output, a list any of those, a range
 * the status (or `target`), a regex the output. A latency bound judges `latenciesMs` (the
 * samples taken during the method; the one answer's own time when there are none).
 */
export function checkTolerance(
  tolerance: Tolerance,
  output: ProbeOutput,
  latenciesMs: number[],
): ToleranceVerdict {
  const got = describe(output);
  if (Array.isArray(tolerance)) {
    const ok = tolerance.some((v) => scalarMatches(v, output));
    return { ok, why: `${got}; expected one of ${JSON.stringify(tolerance)}` };
  }
  if (typeof tolerance !== 'object')
    return {
      ok: scalarMatches(tolerance, output),
      why: `${got}; expected ${typeof tolerance === 'boolean' ? (tolerance ? 'success' : 'failure') : JSON.stringify(tolerance)}`,
    };
  switch (tolerance.type) {
    case 'range': {
      const raw = tolerance.target ? textOf(output, tolerance.target) : output.status;
      const n = Number(raw);
      const [lo, hi] = tolerance.range;
      return {
        ok: n >= lo && n <= hi,
        why: `${n} ${n >= lo && n <= hi ? 'within' : 'outside'} [${lo}, ${hi}]`,
      };
    }
    case 'regex': {
      // Checked when the file was read: a pattern that cannot be translated never gets here.
      const read = pythonRegex(tolerance.pattern);
      const re =
        'error' in read ? new RegExp(tolerance.pattern) : new RegExp(read.source, read.flags);
      const ok = re.test(textOf(output, tolerance.target));
      return { ok, why: `${got}; ${ok ? 'matches' : 'does not match'} /${tolerance.pattern}/` };
    }
    case 'jsonpath': {
      const values = jsonPathValues(tolerance.path, output, tolerance.target);
      let ok = values.length > 0;
      if (tolerance.count !== undefined) ok = values.length === tolerance.count;
      if ('expect' in tolerance)
        ok = isDeepStrictEqual(
          values,
          Array.isArray(tolerance.expect) ? tolerance.expect : [tolerance.expect],
        );
      const found = JSON.stringify(values).slice(0, 80);
      return { ok, why: `${tolerance.path} found ${found}` };
    }
    case 'probe':
      // Run by the runner (it needs the providers); reaching here means it ran.
      return { ok: true, why: `probe ${tolerance.name} ran` };
    case 'latency': {
      if (!succeeded(output)) return { ok: false, why: `${got}; the probe itself failed` };
      const sorted = [...latenciesMs].sort((a, b) => a - b);
      const bounds: [string, number | undefined, number][] = [
        ['p50', tolerance.p50_ms, percentile(sorted, 50)],
        ['p95', tolerance.p95_ms, percentile(sorted, 95)],
        ['max', tolerance.max_ms, sorted.at(-1) ?? 0],
      ];
      const over = bounds.filter(([, bound, v]) => bound !== undefined && v > bound);
      const shown = bounds
        .filter(([, bound]) => bound !== undefined)
        .map(([name, bound, v]) => `${name} ${Math.round(v)} ms (≤ ${bound})`)
        .join(', ');
      return { ok: over.length === 0, why: `${shown} over ${sorted.length} sample(s)` };
    }
  }
}
