import { memo } from 'react';
import { Box } from 'ink';
import { fit } from '../format/fit.js';
import { nodeTable } from '../format/node-rows.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';

/**
 * The nodes as Swarm sees them, live (a node event from the manager refreshes the list): state
 * and since when, availability, the manager's standing in the raft, running tasks. Shown in the
 * lower area while focused (Tab), as the focused timers are.
 */
export const NodesPane = memo(function NodesPane({
  height,
  width,
}: {
  height: number;
  width: number;
}) {
  const nodes = useDeck((s) => s.nodes);
  const tasks = useDeck((s) => s.tasks);
  const now = useDeck((s) => s.now);
  const selfId = useDeck((s) => s.engine?.nodeId);
  const color = useDeck((s) => s.ui.color);
  const table = nodeTable(nodes, tasks, now, Math.max(0, width - 2), selfId);
  const lost = table.rows.filter((r) => r.tone === 'bad').length;
  const title = `Nodes · ${nodes.length} · ${lost ? `${lost} lost or unreachable` : 'all ready'} · live from node events`;
  const shown = table.rows.slice(0, Math.max(0, height - 2));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <PaneTitle title={title} focused width={width} color={color} />
      {height > 1 ? <Line text={fit(`  ${table.header}`, width)} color={color} tone="dim" /> : null}
      {nodes.length === 0 ? (
        <Line text={fit('  no nodes yet (not a swarm manager?)', width)} color={color} tone="dim" />
      ) : null}
      {shown.map((r, i) => (
        <Line key={i} text={fit(`  ${r.text}`, width)} color={color} tone={r.tone} />
      ))}
    </Box>
  );
});
