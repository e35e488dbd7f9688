import { parseSignal } from '../domain/fault.js';
import { FaultError } from './fault-error.js';
import { defineFault, traits } from './fault-module.js';
import { NO_UNDO, noUndoSchema, runningContainer, wordsInOrder } from './shared.js';

const ARGS = '[SIGNAL]';

/** kill: signal the task's container (default SIGKILL); Swarm replaces the task. */
export const kill = defineFault({
  kind: 'kill',
  key: 'x',
  label: 'kill',
  help: 'kill the selected task (signal, default SIGKILL)',
  traits: traits({ takesReplica: true, endsTask: true }),
  fields: [
    {
      name: 'signal',
      label: 'signal',
      hint: 'SIGKILL, SIGTERM, SIGINT, SIGHUP or SIGQUIT',
      default: 'SIGKILL',
    },
  ],
  flags: [
    {
      name: 'signal',
      usage: '--signal SIG',
      help: 'SIGKILL (default), SIGTERM, SIGINT, SIGHUP, SIGQUIT',
    },
  ],
  lineArgs: ARGS,
  lineWords: wordsInOrder('kill', ['signal'], ARGS),
  params: (flags) => ({ params: { signal: flags.signal ?? 'SIGKILL' } }),
  async prepare(target, params, ports) {
    const { port } = await runningContainer(ports, target);
    const signal = parseSignal(params.signal ?? '');
    if (!signal)
      throw new FaultError(
        `"${params.signal}" is not one of SIGKILL, SIGTERM, SIGINT, SIGHUP, SIGQUIT`,
      );
    return {
      params: { signal },
      undo: NO_UNDO,
      apply: () => port.kill(target.containerId, signal),
    };
  },
  undoSchema: noUndoSchema,
  undo: async () => 'done',
  home: () => 'nothing',
  describe: (params) => `kill with ${params.signal ?? 'SIGKILL'}`,
  endCause: (params) => ({ how: 'kill', signal: String(params.signal ?? 'SIGKILL') }),
});
