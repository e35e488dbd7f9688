import { echo } from '../../format/user-input.js';
import { defineFault, traits } from '../fault-module.js';
import { onLiveContainer, runningContainer, WINDOW_FIELD, windowText } from '../shared.js';
import {
  METHOD_FIELD,
  METHOD_FLAG,
  netCommandsSchema,
  runUndoCommands,
  type NetCommandsUndo,
} from './net-method.js';
import { prepareNet } from './prepare-net.js';

const ARGS = 'delay|loss|rate AMOUNT [DURATION] [--jitter J]';
const TYPES = ['delay', 'loss', 'rate'] as const;

/** net: a window of delay, loss or a rate limit on the task's network (netem, iptables, tbf). */
export const net = defineFault<NetCommandsUndo<'net'>>({
  kind: 'net',
  key: 'd',
  label: 'delay',
  help: 'network window: delay, loss or rate (default 30s)',
  traits: traits({ keepsReplicaOut: true, holds: true, windowed: true }),
  fields: [
    {
      name: 'type',
      label: 'type',
      hint: 'delay (netem), loss (netem, else iptables), rate (tbf)',
    },
    { name: 'amount', label: 'amount', hint: 'delay: 1000ms · loss: 30% · rate: 1mbit' },
    {
      name: 'jitter',
      label: 'jitter',
      hint: 'delay only, e.g. 100ms; empty: none',
      emptyMeansNone: true,
    },
    // A delay window defaults to 30 s (the seed game days used 30 s and 120 s).
    { ...WINDOW_FIELD, default: '30s', emptyMeansNone: true },
    METHOD_FIELD,
  ],
  flags: [
    { name: 'delay', usage: '--delay D', help: 'a delay window (netem)' },
    { name: 'jitter', usage: '--jitter D', help: 'with --delay: ± this much' },
    { name: 'loss', usage: '--loss P%', help: 'a loss window (netem, else iptables statistic)' },
    { name: 'rate', usage: '--rate R', help: 'a rate limit window (tbf), e.g. 1mbit' },
    METHOD_FLAG,
  ],
  lineArgs: ARGS,
  lineWords(words) {
    if (words.length > 3) return `net takes net ${ARGS}`;
    const [type, amount, duration] = words;
    if (type === undefined) return {};
    if (!(TYPES as readonly string[]).includes(type))
      return `net takes delay, loss or rate, not ${echo(type)}`;
    return {
      ...(amount !== undefined ? { [type]: amount } : {}),
      ...(duration !== undefined ? { for: duration } : {}),
    };
  },
  params(flags) {
    const given = TYPES.filter((k) => flags[k] !== undefined);
    if (given.length !== 1) return { error: 'net needs one of --delay D, --loss P% or --rate R' };
    const type = given[0]!;
    if (flags.jitter && type !== 'delay') return { error: '--jitter goes with --delay' };
    return {
      params: {
        type,
        amount: flags[type]!,
        jitter: flags.jitter ?? '',
        method: flags.method ?? 'auto',
      },
    };
  },
  async prepare(target, params, ports) {
    const { port } = await runningContainer(ports, target);
    return prepareNet(port, target.containerId, target.nodeId, params);
  },
  undoSchema: netCommandsSchema('net'),
  undo: (spec, ports, nodeName) =>
    onLiveContainer(ports, spec, nodeName, (port) => runUndoCommands(port, spec)),
  home: () => 'container',
  describe(params) {
    const jitter = params.jitter ? `±${params.jitter}` : '';
    const how = params.method ? ` (${params.method})` : '';
    return `${params.type} ${params.amount}${jitter}${how}${windowText(params)}`;
  },
});
