import { Box } from 'ink';
import { useContext } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ExperimentFlow } from '../console/experiment-flow.js';
import type { FaultFlow } from '../console/fault-flow.js';
import { ActivityPane } from './ActivityPane.js';
import { DeckContext, useDeck } from './context.js';
import { DialogPanel } from './DialogPanel.js';
import { FaultsBar } from './FaultsBar.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HealthPane } from './HealthPane.js';
import { HelpOverlay } from './HelpOverlay.js';
import { LogsPane } from './LogsPane.js';
import { healthPaneWidth, screenLayout, tooSmall } from './layout.js';
import { healthNeed, timersNeed } from './pane-text.js';
import { TooSmall } from './TooSmall.js';
import { NoticeLine, noticeRows } from './NoticeLine.js';
import { ServicesPane } from './ServicesPane.js';
import { TasksPane } from './TasksPane.js';
import { NodesPane } from './NodesPane.js';
import { TimersPane } from './TimersPane.js';
import { useConsoleKeys } from './use-console-keys.js';

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
  const faultCount = useDeck((s) => s.faults.length + s.othersFaults.length);
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

  useConsoleKeys({ store, onQuit, flow, experiments }, layout);

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
          ) : ui.pane === 'nodes' ? (
            // Focused, the nodes take the lower area as the timers do (one row per node), above
            // the active faults: a partition's node is watched with its fault in sight.
            <>
              <NodesPane height={lower - layout.faults} width={ui.size.columns} />
              <FaultsBar height={layout.faults} />
            </>
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
