import { parseCommandLine, usage } from '../store/command-line.js';
import type { FaultFlow } from './fault-flow.js';
import { TASK_PANES, type DeckStore } from '../store/state.js';

/**
 * Runs a `:` command line: faults go through the same dialog, guards and confirmation as their
 * keys (the line fills the fields), the rest act on the view or the journal.
 */
export function runCommandLine(
  store: DeckStore,
  flow: FaultFlow | undefined,
  text: string,
  onQuit: () => void,
): void {
  const state = store.getState();
  const a = state.actions;
  const line = parseCommandLine(text);
  switch (line.type) {
    case 'error':
      return a.setNotice(`:${text.trim()}: ${line.message}`, 'bad');
    case 'fault':
    case 'undo':
    case 'halt': {
      if (!flow || state.modes.readOnly)
        return a.setNotice('read-only: faults are off (--read-only)', 'warn');
      if (line.type === 'halt') return void flow.halt();
      if (!TASK_PANES.includes(state.ui.pane))
        return a.setNotice(
          `:${line.type === 'fault' ? usage(line.kind).split(' ')[0] : 'undo'} acts on a task: select one in the tasks pane first (Enter on a service)`,
          'warn',
        );
      if (line.type === 'undo') return void flow.undoSelected();
      return flow.open(line.kind, line.params);
    }
    case 'service':
      if (!flow || state.modes.readOnly)
        return a.setNotice('read-only: changes are off (--read-only)', 'warn');
      return flow.openService(line.action);
    case 'note':
      return a.addNote(line.text);
    case 'report':
      return a.writeReport();
    case 'svc':
      if (!a.jumpToService(line.name))
        a.setNotice(`no single service named or containing "${line.name}"`, 'warn');
      return;
    case 'sort':
      a.sortServices(line.by);
      return a.setNotice(`services sorted by ${line.by}`, 'dim');
    case 'help':
      return a.toggleHelp(true);
    case 'quit':
      return onQuit();
  }
}
