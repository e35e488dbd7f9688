import { memo } from 'react';
import { Box } from 'ink';
import { formatAge } from '../domain/duration.js';
import { fit } from '../format/fit.js';
import { reachSummary } from '../format/reach-lines.js';
import { nodesSummary } from '../format/node-lines.js';
import { viaText } from '../format/manager-lines.js';
import { useDeck } from './context.js';
import { Line } from './Line.js';

/** Two header lines: product and connection, then engine, swarm, this node and the node count. */
export const Header = memo(function Header() {
  const engine = useDeck((s) => s.engine);
  const nodes = useDeck((s) => s.nodes);
  const connection = useDeck((s) => s.connection);
  const error = useDeck((s) => s.connectionError);
  // Only while not live: the time since the last update changes every poll and every tick, and a
  // live header would be redrawn for it.
  const stale = useDeck((s) =>
    s.connection === 'live'
      ? ''
      : s.lastSync
        ? `stale, last update ${formatAge(s.now - s.lastSync)} ago`
        : 'no data yet',
  );
  const columns = useDeck((s) => s.ui.size.columns);
  const color = useDeck((s) => s.ui.color);
  const context = useDeck((s) => s.modes.context);
  const version = useDeck((s) => s.modes.version);
  const reach = useDeck((s) => s.reach);
  const via = useDeck((s) => s.via);
  const self = nodes.find((n) => n.id === engine?.nodeId);
  const role = engine?.isManager ? `manager${self?.leader ? ', leader' : ''}` : 'worker';
  const status =
    connection === 'live'
      ? '● live'
      : connection === 'connecting'
        ? '… connecting'
        : `⟳ reconnecting (${stale})${error ? `: ${error}` : ''}`;
  // The context first: a chaos tool must say which cluster it acts on.
  const line2 = engine
    ? `${context ? `context ${context} · ` : ''}${engine.nodeName} (${role}) · swarm ${engine.swarmState} · ${nodesSummary(nodes)} · engine ${engine.version} API ${engine.apiVersion}`
    : 'engine …';
  // Which nodes chaosdeck can act on: faults on a node it cannot reach fail.
  const reached = engine ? reachSummary(nodes, engine.nodeId, reach) : undefined;
  // Which manager answers for the swarm, while it is not the one chaosdeck started with.
  const following = via ? ` ${viaText(via)}` : '';
  const line1 = `chaosdeck${version ? ` ${version}` : ''}  ${status}${following}${reached && nodes.length ? `  ·  reach: ${reached.text}` : ''}`;
  return (
    <Box flexDirection="column">
      <Line
        text={fit(line1, columns)}
        color={color}
        tone={connection === 'live' && !reached?.bad && !via ? 'good' : 'warn'}
        bold
      />
      <Line text={fit(line2, columns)} color={color} tone="dim" />
    </Box>
  );
});
