import { FaultError } from './fault-error.js';
import { defineFault, traits } from './fault-module.js';
import { NO_UNDO, noUndoSchema, runningContainer, wordsInOrder } from './shared.js';

const ARGS = '[GRACE-SECONDS]';

/** stop: SIGTERM, then SIGKILL after the grace; Swarm replaces the task. */
export const stop = defineFault({
  kind: 'stop',
  key: 's',
  label: 'stop',
  help: 'stop it (grace seconds, default 10)',
  traits: traits({ takesReplica: true, endsTask: true }),
  fields: [{ name: 'grace', label: 'grace seconds', hint: 'then SIGKILL', default: '10' }],
  flags: [{ name: 'grace', usage: '--grace S', help: 'seconds before SIGKILL (default 10)' }],
  lineArgs: ARGS,
  lineWords: wordsInOrder('stop', ['grace'], ARGS),
  params: (flags) => ({ params: { grace: flags.grace ?? '10' } }),
  async prepare(target, params, ports) {
    const { port } = await runningContainer(ports, target);
    const text = (params.grace ?? '').trim() || '10';
    const grace = Number(text);
    if (!/^\d+$/.test(text) || grace > 3600)
      throw new FaultError(`grace must be whole seconds from 0 to 3600, got "${text}"`);
    return { params: { grace }, undo: NO_UNDO, apply: () => port.stop(target.containerId, grace) };
  },
  undoSchema: noUndoSchema,
  undo: async () => 'done',
  home: () => 'nothing',
  describe: (params) => `stop (grace ${params.grace ?? 10}s)`,
  endCause: () => ({ how: 'stop' }),
});
