import { FAULTS } from '../faults/registry.js';
import type { Pane } from '../store/state.js';

/** One documented key, for the help overlay, the footer and docs/keys.md. */
export interface KeyHelp {
  keys: string;
  /** Footer label (one or two words). */
  short: string;
  action: string;
  panes: (Pane | 'all')[];
  /** A key that changes the swarm: hidden under --read-only. */
  fault?: boolean;
}

/** A key that acts on the selected task. */
function faultKey(keys: string, short: string, action: string): KeyHelp {
  return { keys, short, action, panes: ['tasks', 'health'], fault: true };
}

/** Every key, in the order the help overlay lists them. */
export const KEY_HELP: KeyHelp[] = [
  { keys: '↑/↓ j/k', short: 'move', action: 'move the cursor', panes: ['services', 'tasks'] },
  { keys: 'PgUp/PgDn', short: 'page', action: 'move a page', panes: ['services', 'tasks'] },
  { keys: 'g / G', short: 'top/bottom', action: 'top / bottom', panes: ['services', 'tasks'] },
  {
    keys: 'Enter',
    short: 'open',
    action: "open the service's tasks / the task's health",
    panes: ['services', 'tasks'],
  },
  {
    keys: 'Esc',
    short: 'back',
    action: 'back (close help, leave a pane, clear the filter)',
    panes: ['all'],
  },
  {
    keys: 'Tab / S-Tab',
    short: 'pane',
    action: 'next / previous pane (the last, nodes: each node as Swarm sees it, live)',
    panes: ['all'],
  },
  ...FAULTS.map((f) => faultKey(f.key, f.label, f.help)),
  faultKey('u', 'undo', 'undo the faults on the selected task'),
  {
    keys: 'L',
    short: 'logs',
    action: "the selected task's logs: last 200 lines, following; / searches, Esc back",
    panes: ['tasks', 'health'],
  },
  {
    keys: '!',
    short: 'halt',
    action: 'halt: undo every active fault now',
    panes: ['all'],
    fault: true,
  },
  {
    keys: 'R',
    short: 'experiments',
    action:
      'experiments in ./experiments (or --experiments DIR): Enter runs one, progress here; ! halts it',
    panes: ['timers'],
    fault: true,
  },
  {
    keys: 'space',
    short: 'lap',
    action: 'manual stopwatch: start / stop timing the action',
    panes: ['all'],
  },
  { keys: 'l', short: 'name', action: 'name the timed action (e.g. "log in")', panes: ['all'] },
  {
    keys: ':',
    short: 'command',
    action:
      'command line (:pause 30s, :cpu 0.2, :svc NAME, :sort replicas, :scale 3, :restart; Tab completes, ↑/↓ recall)',
    panes: ['all'],
  },
  {
    keys: 'N',
    short: 'note',
    action: 'add a note to the game-day journal ("login spinner stuck")',
    panes: ['all'],
  },
  { keys: 'E', short: 'report', action: 'write the game-day report now', panes: ['all'] },
  {
    keys: '/',
    short: 'filter',
    action: 'filter services (substring; re: for a regex)',
    panes: ['services'],
  },
  { keys: '?', short: 'help', action: 'this help (Esc, ? or q closes it)', panes: ['all'] },
  { keys: 'q / Ctrl-C', short: 'quit', action: 'quit', panes: ['all'] },
];
