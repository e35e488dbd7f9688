import { Box, useInput } from 'ink';
import { useContext } from 'react';
import { screenLayout } from './layout.js';
import { DeckContext, useDeck } from './context.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HealthPane } from './HealthPane.js';
import { HelpOverlay } from './HelpOverlay.js';
import { keyCommand, type KeyMode } from './keymap.js';
import { ServicesPane } from './ServicesPane.js';
import { TasksPane } from './TasksPane.js';

/** Props of the console. */
export interface AppProps {
  /** Called when the user asks to quit; the entry tears down and exits. */
  onQuit: () => void;
}

/** The console: header, services, tasks, health, footer; the help overlay over the panes. */
export function App({ onQuit }: AppProps) {
  const store = useContext(DeckContext)!;
  const ui = useDeck((s) => s.ui);
  const layout = screenLayout(ui.size.rows);

  useInput((input, key) => {
    const state = store.getState();
    const mode: KeyMode =
      state.ui.filterDraft !== undefined ? 'filter' : state.ui.help ? 'help' : 'normal';
    const command = keyCommand(input, key, mode, state.ui.filterDraft ?? '');
    if (!command) return;
    const a = state.actions;
    switch (command.type) {
      case 'quit':
        onQuit();
        return;
      case 'move':
        a.move(command.delta);
        return;
      case 'page':
        a.move(
          command.direction *
            Math.max(1, (state.ui.pane === 'services' ? layout.services : layout.tasks) - 2),
        );
        return;
      case 'moveTo':
        a.moveTo(command.where);
        return;
      case 'cyclePane':
        a.cyclePane(command.step);
        return;
      case 'enter':
        a.focus(state.ui.pane === 'services' ? 'tasks' : 'health');
        return;
      case 'back':
        a.back();
        return;
      case 'startFilter':
        a.startFilter();
        return;
      case 'filterText':
        a.editFilter(command.text);
        return;
      case 'commitFilter':
        a.commitFilter();
        return;
      case 'cancelFilter':
        a.cancelFilter();
        return;
      case 'help':
        a.toggleHelp();
        return;
    }
  });

  const bodyHeight = layout.services + layout.tasks + layout.health;
  return (
    <Box flexDirection="column" width={ui.size.columns} height={ui.size.rows} overflow="hidden">
      <Header />
      {ui.help ? (
        <HelpOverlay height={bodyHeight} />
      ) : (
        <>
          <ServicesPane height={layout.services} />
          <TasksPane height={layout.tasks} />
          <HealthPane height={layout.health} />
        </>
      )}
      <Footer />
    </Box>
  );
}
