import { memo } from 'react';
import { Box } from 'ink';
import { formatAge } from '../domain/duration.js';
import { describeFault } from '../faults/lines.js';
import { fit } from '../format/fit.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';
import { faultHome } from '../faults/registry.js';
import { OWNER_GONE_MS } from '../domain/fault.js';

/**
 * Active faults, this console's newest first, then those of other consoles and machines (from
 * the swarm, each with its owner), each with its countdown; a failed undo in red.
 */
export const FaultsBar = memo(function FaultsBar({ height }: { height: number }) {
  const own = useDeck((s) => s.faults);
  const others = useDeck((s) => s.othersFaults);
  const now = useDeck((s) => s.now);
  const color = useDeck((s) => s.ui.color);
  const width = useDeck((s) => s.ui.size.columns);
  if (height === 0) return null;
  const faults = [...[...own].reverse(), ...others];
  const shown = faults.slice(0, height - 1);
  const more = faults.length - shown.length;
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle
        title={`Active faults ${own.length}${others.length ? ` · others' ${others.length}` : ''}${more > 0 ? ` (${more} more)` : ''} · u undo · ! halt`}
        focused={false}
        width={width}
        color={color}
      />
      {shown.map((f) => {
        const left = f.endsAt
          ? ` · ${formatAge(Math.max(0, f.endsAt - now))} left`
          : ' · until undone';
        const state =
          f.status === 'undo-failed'
            ? `UNDO FAILED: ${f.error ?? ''} `
            : f.dryRun
              ? '[dry-run] '
              : f.status === 'applying'
                ? 'applying… '
                : '';
        // Where the fault lives: the service (a spec change), the node (drain) or one task.
        const on =
          faultHome(f) === 'service'
            ? `service ${f.target.serviceName}`
            : faultHome(f) === 'node'
              ? `node ${f.target.nodeName}`
              : `${f.target.slotName} @ ${f.target.nodeName}`;
        // Another's: its owner, and whether its holder still says it is alive.
        const silent = f.aliveAt !== undefined ? now - f.aliveAt : 0;
        const by = f.owner
          ? ` · by ${f.owner}${silent >= OWNER_GONE_MS ? `, silent ${formatAge(silent)} (gone?)` : ''}`
          : '';
        const text = `  ${state}${describeFault(f.kind, f.params)} on ${on}${left}${by}`;
        return (
          <Line
            key={f.id}
            text={fit(text, width)}
            color={color}
            tone={f.status === 'undo-failed' ? 'bad' : f.owner ? 'dim' : 'warn'}
          />
        );
      })}
    </Box>
  );
});
