import { Box, useInput } from 'ink';
import { useContext } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ExperimentFlow } from '../store/experiment-flow.js';
import type { FaultFlow } from '../store/fault-flow.js';
import { completeCommand } from '../store/command-line.js';
import { runCommandLine } from '../store/command-runner.js';
import { inputMode } from '../store/selectors.js';
import { textField } from '../store/text-field.js';
import { ActivityPane } from './ActivityPane.js';
import { DeckContext, useDeck } from './context.js';
import { DialogPanel } from './DialogPanel.js';
import { FaultsBar } from './FaultsBar.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HealthPane } from './HealthPane.js';
import { HelpOverlay, helpLines } from './HelpOverlay.js';
import {
  dialogKey,
  fieldKey,
  helpKey,
  keyCommand,
  logsKey,
  splitBurst,
  type KeyFlags,
} from './keymap.js';
import { LogsPane, logRows } from './LogsPane.js';
import { healthPaneWidth, screenLayout, tooSmall } from './layout.js';
import { healthNeed, timersNeed } from './pane-text.js';
import { TooSmall } from './TooSmall.js';
import { NoticeLine, noticeRows } from './NoticeLine.js';
import { ServicesPane } from './ServicesPane.js';
import { TasksPane } from './TasksPane.js';
import { TimersPane } from './TimersPane.js';

/** Props of the console. */
export interface AppProps {
  /** Called when the user asks to quit; the entry undoes faults, tears down and exits. */
  onQuit: () => void;
  /** Fault keys and dialogs; absent in read-only consoles and in tests of the live view. */
  flow?: FaultFlow;
  /** `R`: experiments run from the console; absent in read-only consoles. */
  experiments?: ExperimentFlow;
}

// Each pane reads what it shows from the store itself and is memoised where it is defined: a
// change in one (a probe's line in the health pane, a CPU sample in the tasks pane) does not
// re-run every other pane's text.

// Health and timers (or activity) sit side by side from this width; below it Tab shows each.
const SPLIT_WIDTH = 100;

/** The console: header, services, tasks, active faults, health and activity, notice, footer. */
export function App({ onQuit, flow, experiments }: AppProps) {
  const store = useContext(DeckContext)!;
  const ui = useDeck((s) => s.ui);
  const faultCount = useDeck((s) => s.faults.length);
  const dialog = useDeck((s) => s.dialog);
  const logsOpen = useDeck((s) => s.logs !== undefined);
  // What the health and timers panes' text needs: the split follows it.
  const needs = useDeck(
    useShallow((s) =>
      s.ui.size.columns >= SPLIT_WIDTH && s.ui.pane !== 'activity'
        ? [healthNeed(s), timersNeed(s)]
        : [0, 0],
    ),
  );
  const notice = useDeck((s) => noticeRows(s, s.ui.size.columns, 2));
  const layout = screenLayout(ui.size.rows, faultCount, notice);

  useInput((input, key) => {
    const textEntry = !['normal', 'help', 'logs'].includes(inputMode(store.getState()));
    for (const [one, flags] of splitBurst(input, key, textEntry)) handleKey(one, flags);
  });

  // Every key goes to the one input mode the store holds, and only there.
  function handleKey(input: string, key: KeyFlags) {
    const state = store.getState();
    const a = state.actions;
    if (tooSmall(state.ui.size)) {
      // Nothing on screen to act on: only the keys that need no selection.
      if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
      else if (input === '!' && flow && !state.modes.readOnly) {
        experiments?.halt();
        void flow.halt();
      } else if (key.escape && state.dialog) flow?.key({ type: 'cancel' });
      else if (key.escape && state.ui.field) a.cancelField();
      return;
    }
    const mode = inputMode(state);
    if (mode === 'dialog') {
      const d = dialogKey(input, key);
      if (d?.type === 'quit') onQuit();
      else if (d && state.dialog?.type === 'experiments') experiments?.key(state.dialog, d);
      else if (d) flow?.key(d);
      return;
    }
    if (mode === 'help') {
      const h = helpKey(input, key);
      if (h?.type === 'quit') onQuit();
      else if (h?.type === 'close') a.toggleHelp(false);
      else if (h) {
        const rows = layout.services + layout.tasks + layout.faults + layout.health - 2;
        const lines = helpLines(state.ui.size.columns, state.modes.readOnly).length;
        a.scrollHelp(h.delta, Math.max(0, lines - rows));
      }
      return;
    }
    if (mode === 'logs') {
      const l = logsKey(input, key);
      const rows = logRows(layout.tasks + layout.faults + layout.health);
      if (l?.type === 'quit') onQuit();
      else if (l?.type === 'close') a.closeLogs();
      else if (l?.type === 'scroll') a.scrollLogs(l.to, rows);
      else if (l?.type === 'page') a.scrollLogs(l.direction * Math.max(1, rows - 1), rows);
      else if (l?.type === 'search') a.openField('search');
      return;
    }
    const field = state.ui.field;
    if (field) {
      const f = fieldKey(input, key, field, field.purpose);
      if (!f) return;
      if (f.type === 'quit') return onQuit();
      if (f.type === 'cancel') return a.cancelField();
      if (f.type === 'edit') return a.editOpenField(f.field);
      if (f.type === 'complete') return a.editOpenField(textField(completeCommand(field.text)));
      if (f.type === 'recall') return a.recallCommand(f.step);
      const done = a.commitField();
      if (done?.purpose === 'command' && done.text) runCommandLine(store, flow, done.text, onQuit);
      return;
    }
    const command = keyCommand(input, key, state.ui.pane);
    if (!command) return;
    switch (command.type) {
      case 'quit':
        return onQuit();
      case 'move':
        return a.move(command.delta);
      case 'page':
        return a.move(
          command.direction *
            Math.max(1, (state.ui.pane === 'services' ? layout.services : layout.tasks) - 2),
        );
      case 'moveTo':
        return a.moveTo(command.where);
      case 'cyclePane':
        return a.cyclePane(command.step);
      case 'enter':
        return a.focus(state.ui.pane === 'services' ? 'tasks' : 'health');
      case 'back':
        return a.back();
      case 'open':
        return a.openField(command.field);
      case 'help':
        return a.toggleHelp();
      case 'lap':
        return a.toggleLap(Date.now());
      case 'report':
        return a.writeReport();
      case 'logs':
        return a.openLogs();
      case 'needsTask':
        return a.setNotice(
          `${command.key} acts on a task: Enter opens the service's tasks, then pick one`,
          'dim',
        );
      case 'experiments':
        if (!experiments || state.modes.readOnly)
          return a.setNotice('read-only: experiments are off (--read-only)', 'warn');
        return void experiments.open();
      case 'fault':
      case 'undo':
      case 'halt':
        if (!flow || state.modes.readOnly)
          return a.setNotice('read-only: faults are off (--read-only)', 'warn');
        if (command.type === 'fault') flow.open(command.kind);
        else if (command.type === 'undo') void flow.undoSelected();
        else {
          // An experiment halts first: its rollbacks run while its faults are being undone.
          experiments?.halt();
          void flow.halt();
        }
        return;
    }
  }

  const lower = layout.tasks + layout.faults + layout.health;
  const split = ui.size.columns >= SPLIT_WIDTH;
  const healthWidth = !split
    ? ui.size.columns
    : ui.pane === 'activity'
      ? Math.floor(ui.size.columns / 2)
      : healthPaneWidth(ui.size.columns, needs[0]!, needs[1]!);
  if (tooSmall(ui.size)) return <TooSmall />;
  return (
    <Box flexDirection="column" width={ui.size.columns} height={ui.size.rows} overflow="hidden">
      <Header />
      {ui.help ? (
        <HelpOverlay height={layout.services + lower} />
      ) : (
        <>
          <ServicesPane height={layout.services} />
          {dialog ? (
            <DialogPanel height={lower} />
          ) : logsOpen ? (
            <LogsPane height={lower} />
          ) : ui.pane === 'timers' ? (
            // Focused, the timers take the whole lower area: the latency table needs the width.
            <TimersPane height={lower} width={ui.size.columns} />
          ) : (
            <>
              <TasksPane height={layout.tasks} />
              <FaultsBar height={layout.faults} />
              {split ? (
                <Box flexDirection="row" height={layout.health}>
                  <HealthPane height={layout.health} width={healthWidth} />
                  {ui.pane === 'activity' ? (
                    <ActivityPane height={layout.health} width={ui.size.columns - healthWidth} />
                  ) : (
                    <TimersPane height={layout.health} width={ui.size.columns - healthWidth} />
                  )}
                </Box>
              ) : ui.pane === 'activity' ? (
                <ActivityPane height={layout.health} width={ui.size.columns} />
              ) : (
                <HealthPane height={layout.health} />
              )}
            </>
          )}
        </>
      )}
      {layout.notice ? <NoticeLine rows={layout.notice} /> : null}
      <Footer />
    </Box>
  );
}
