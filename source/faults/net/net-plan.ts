/** What the user asked for, parsed. */
export type NetSpec =
  | { type: 'delay'; delayMs: number; jitterMs?: number }
  | { type: 'loss'; percent: number }
  | { type: 'rate'; rate: string };

const RATE = /^\d+(\.\d+)?(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)$/i;

/** Parses the dialog's type, amount and jitter; returns the spec or a message for the user. */
export function parseNetSpec(
  type: string,
  amount: string,
  jitter: string,
): NetSpec | { error: string } {
  const t = type.trim().toLowerCase();
  const a = amount.trim();
  if (t === 'delay') {
    const ms = parseMs(a);
    if (ms === undefined || ms <= 0 || ms > 60_000)
      return { error: `delay wants 1 to 60000 ms (e.g. 1000ms or 1s), got "${amount}"` };
    if (jitter.trim() === '') return { type: 'delay', delayMs: ms };
    const j = parseMs(jitter.trim());
    if (j === undefined || j < 0 || j > ms)
      return { error: `jitter wants 0 to ${ms} ms, got "${jitter}"` };
    return { type: 'delay', delayMs: ms, jitterMs: j };
  }
  if (t === 'loss') {
    const pct = Number(a.replace(/%$/, ''));
    if (!/^\d+(\.\d+)?%?$/.test(a) || !(pct > 0 && pct <= 100))
      return { error: `loss wants a percentage above 0 up to 100 (e.g. 30%), got "${amount}"` };
    return { type: 'loss', percent: pct };
  }
  if (t === 'rate') {
    if (!RATE.test(a)) return { error: `rate wants e.g. 1mbit, 256kbit, got "${amount}"` };
    return { type: 'rate', rate: a.toLowerCase() };
  }
  return { error: `type is delay, loss or rate, got "${type}"` };
}

function parseMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
}

/** Root qdiscs an interface has when nobody configured it (safe to replace and then delete). */
const DEFAULT_QDISCS = ['noqueue', 'pfifo_fast', 'fq_codel', 'mq', 'pfifo', 'fq'];

/** The root qdisc kind from `tc qdisc show dev IF` output, e.g. "noqueue". */
export function rootQdisc(output: string): string | undefined {
  const line = output.split('\n').find((l) => / root /.test(l));
  return line?.trim().split(/\s+/)[1];
}

/** True when the root qdisc is one the kernel set up by itself. */
export function isDefaultQdisc(kind: string | undefined): boolean {
  return kind === undefined || DEFAULT_QDISCS.includes(kind);
}

/** The apply and undo commands of a network fault (run inside the container's namespace). */
export interface NetPlan {
  apply: string[];
  undo: string[];
  /** How it is done, for the user: netem, tbf, iptables statistic. */
  via: string;
}

/**
 * Plans a network fault on `iface`. Delay and loss use netem when the kernel has it; loss falls
 * back to iptables statistic (inbound) without netem; rate uses tbf. tc uses replace, not add,
 * and undo removes exactly what was added. The iptables rule carries a comment with the fault id.
 */
export function planNet(
  spec: NetSpec,
  iface: string,
  hasNetem: boolean,
  id: string,
): NetPlan | { error: string } {
  const delQdisc = ['tc', 'qdisc', 'del', 'dev', iface, 'root'];
  // replace, never add: an existing root qdisc would make add fail ("File exists").
  const rootQdiscOf = (...qdisc: string[]) => [
    'tc',
    'qdisc',
    'replace',
    'dev',
    iface,
    'root',
    ...qdisc,
  ];
  switch (spec.type) {
    case 'delay':
      if (!hasNetem) {
        return {
          error:
            'this node\'s kernel has no netem (tc: "Specified qdisc kind is unknown"), so delay cannot be injected here. ' +
            'What works here: type loss (iptables statistic) and type rate (tbf).',
        };
      }
      return {
        apply: rootQdiscOf(
          'netem',
          'delay',
          `${spec.delayMs}ms`,
          ...(spec.jitterMs ? [`${spec.jitterMs}ms`] : []),
        ),
        undo: delQdisc,
        via: 'netem',
      };
    case 'loss': {
      if (hasNetem)
        return {
          apply: rootQdiscOf('netem', 'loss', `${spec.percent}%`),
          undo: delQdisc,
          via: 'netem',
        };
      const rule = [
        'INPUT',
        '-i',
        iface,
        '-m',
        'statistic',
        '--mode',
        'random',
        '--probability',
        (spec.percent / 100).toFixed(4),
        '-m',
        'comment',
        '--comment',
        `chaosdeck:${id}`,
        '-j',
        'DROP',
      ];
      return {
        apply: ['iptables', '-I', ...rule],
        undo: ['iptables', '-D', ...rule],
        via: 'iptables statistic',
      };
    }
    case 'rate':
      return {
        apply: rootQdiscOf('tbf', 'rate', spec.rate, 'burst', '32kbit', 'latency', '400ms'),
        undo: delQdisc,
        via: 'tbf',
      };
  }
}
