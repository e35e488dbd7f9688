import { z } from 'zod';
import { FaultError } from './fault-error.js';
import { defineFault, traits } from './fault-module.js';
import { ledgerId, wordsInOrder } from './shared.js';

/** The undo of a drain: the node's availability as it was. */
type DrainUndo = {
  kind: 'availability';
  nodeId: string;
  previous: 'active' | 'pause' | 'drain';
};

/** drain: set the task's node to drain (Swarm moves its tasks); undone, it takes tasks again. */
export const drain = defineFault<DrainUndo>({
  kind: 'drain',
  key: 'n',
  label: 'drain',
  help: "drain the task's node",
  // Held by the command that drains (undone when it ends); the console's drain stays until undone.
  traits: traits({ holds: true, onNode: true }),
  fields: [],
  flags: [],
  lineArgs: '',
  lineWords: wordsInOrder('drain', [], ''),
  params: () => ({ params: {} }),
  async prepare(target, _params, ports) {
    const previous = await ports.swarm.nodeAvailability(target.nodeId);
    if (previous === 'drain') throw new FaultError(`node ${target.nodeName} is already drained`);
    return {
      params: { node: target.nodeName, from: previous },
      undo: { kind: 'availability', nodeId: target.nodeId, previous },
      apply: () => ports.swarm.setNodeAvailability(target.nodeId, 'drain'),
    };
  },
  undoSchema: z.object({
    kind: z.literal('availability'),
    nodeId: ledgerId,
    previous: z.enum(['active', 'pause', 'drain']),
  }),
  async undo(spec, ports) {
    await ports.swarm.setNodeAvailability(spec.nodeId, spec.previous);
    return 'done';
  },
  home: () => 'node',
  describe: () => 'drain node',
});
