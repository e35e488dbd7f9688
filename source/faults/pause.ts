import { z } from 'zod';
import { defineFault, traits } from './fault-module.js';
import {
  ledgerId,
  onLiveContainer,
  runningContainer,
  WINDOW_FIELD,
  windowText,
  wordsInOrder,
} from './shared.js';

const ARGS = '[DURATION]';

/** pause: freeze the task's processes (docker pause) until undone or the window ends. */
export const pause = defineFault({
  kind: 'pause',
  key: 'p',
  label: 'pause',
  help: 'pause it (optional duration)',
  traits: traits({
    takesReplica: true,
    keepsReplicaOut: true,
    holds: true,
    windowed: true,
    freezes: true,
  }),
  fields: [WINDOW_FIELD],
  flags: [],
  lineArgs: ARGS,
  lineWords: wordsInOrder('pause', ['for'], ARGS),
  params: () => ({ params: {} }),
  async prepare(target, _params, ports) {
    const { port } = await runningContainer(ports, target);
    const { containerId, nodeId } = target;
    return {
      params: {},
      undo: { kind: 'unpause' as const, containerId, nodeId },
      apply: () => port.pause(containerId),
    };
  },
  undoSchema: z.object({ kind: z.literal('unpause'), containerId: ledgerId, nodeId: ledgerId }),
  undo: (spec, ports, nodeName) =>
    onLiveContainer(ports, spec, nodeName, async (port, res) => {
      if (res.paused) await port.unpause(spec.containerId);
    }),
  home: () => 'container',
  describe: (params) => `pause${windowText(params)}`,
});
