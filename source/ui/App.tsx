import { Box, useInput } from 'ink';
import { useContext } from 'react';
import type { FaultFlow } from '../store/fault-flow.js';
import { draftText, inputMode } from '../store/selectors.js';
import { ActivityPane } from './ActivityPane.js';
import { DeckContext, useDeck } from './context.js';
import { DialogPanel } from './DialogPanel.js';
import { FaultsBar } from './FaultsBar.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HealthPane } from './HealthPane.js';
import { HelpOverlay } from './HelpOverlay.js';
import { dialogKey, keyCommand, splitBurst, type KeyFlags, type KeyMode } from './keymap.js';
import { screenLayout, tooSmall } from './layout.js';
import { TooSmall } from './TooSmall.js';
import { NoticeLine } from './NoticeLine.js';
import { ServicesPane } from './ServicesPane.js';
import { TasksPane } from './TasksPane.js';
import { TimersPane } from './TimersPane.js';

/** Props of the console. */
export interface AppProps {
  /** Called when the user asks to quit; the entry undoes faults, tears down and exits. */
  onQuit: () => void;
  /** Fault keys and dialogs; absent in read-only consoles and in tests of the live view. */
  flow?: FaultFlow;
}

// Health and timers (or activity) sit side by side from this width; below it Tab shows each.
const SPLIT_WIDTH = 100;

/** The console: header, services, tasks, active faults, health and activity, notice, footer. */
export function App({ onQuit, flow }: AppProps) {
  const store = useContext(DeckContext)!;
  const ui = useDeck((s) => s.ui);
  const faultCount = useDeck((s) => s.faults.length);
  const dialog = useDeck((s) => s.dialog);
  const layout = screenLayout(ui.size.rows, faultCount);

  useInput((input, key) => {
    const state = store.getState();
    const textEntry = !['normal', 'help'].includes(inputMode(state));
    for (const [one, flags] of splitBurst(input, key, textEntry)) handleKey(one, flags);
  });

  function handleKey(input: string, key: KeyFlags) {
    const state = store.getState();
    if (tooSmall(state.ui.size)) {
      // Nothing on screen to act on: only the keys that need no selection.
      if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
      else if (input === '!' && flow && !state.modes.readOnly) void flow.halt();
      else if (key.escape && state.dialog) flow?.key({ type: 'cancel' });
      return;
    }
    if (state.dialog) {
      const d = dialogKey(input, key);
      if (d?.type === 'quit') onQuit();
      else if (d) flow?.key(d);
      return;
    }
    const mode: KeyMode = inputMode(state);
    const command = keyCommand(input, key, mode, draftText(state));
    if (!command) return;
    const a = state.actions;
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
      case 'startFilter':
        return a.startFilter();
      case 'filterText':
        return a.editFilter(command.text);
      case 'commitFilter':
        return a.commitFilter();
      case 'cancelFilter':
        return a.cancelFilter();
      case 'help':
        return a.toggleHelp();
      case 'lap':
        return a.toggleLap(Date.now());
      case 'startNaming':
        return a.startNaming();
      case 'nameText':
        return a.editNaming(command.text);
      case 'commitName':
        return a.commitNaming();
      case 'cancelName':
        return a.cancelNaming();
      case 'startNote':
        return a.startNote();
      case 'noteText':
        return a.editNote(command.text);
      case 'commitNote':
        return a.commitNote();
      case 'cancelNote':
        return a.cancelNote();
      case 'report':
        return a.writeReport();
      case 'fault':
      case 'undo':
      case 'halt':
        if (!flow || state.modes.readOnly)
          return a.setNotice('read-only: faults are off (--read-only)', 'warn');
        if (command.type === 'fault') flow.open(command.kind);
        else if (command.type === 'undo') void flow.undoSelected();
        else void flow.halt();
        return;
    }
  }

  const lower = layout.tasks + layout.faults + layout.health;
  const split = ui.size.columns >= SPLIT_WIDTH;
  const healthWidth = split ? Math.floor(ui.size.columns / 2) : ui.size.columns;
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
      {layout.notice ? <NoticeLine /> : null}
      <Footer />
    </Box>
  );
}
