import { Box } from 'ink';
import { useMemo } from 'react';
import { fit, scrollStart } from '../format/fit.js';
import { isDegraded, serviceLines } from '../format/service-rows.js';
import { selectedService, visibleServices } from '../store/selectors.js';
import { useDeck } from './context.js';
import { Line, PaneTitle } from './Line.js';

/** The services pane: name, mode, replicas, image, ports, update state; degraded rows highlighted. */
export function ServicesPane({ height }: { height: number }) {
  const services = useDeck((s) => s.services);
  const ui = useDeck((s) => s.ui);
  const width = ui.size.columns;
  const list = useMemo(() => visibleServices({ services, ui }), [services, ui]);
  const selectedId = selectedService({ services, ui })?.id;
  const focused = ui.pane === 'services';
  const { header, rows } = serviceLines(list, width - 2);
  const bodyHeight = Math.max(0, height - 2);
  const cursor = Math.max(
    0,
    list.findIndex((s) => s.id === selectedId),
  );
  const start = scrollStart(list.length, cursor, bodyHeight);
  const filterNote = ui.filter ? ` filter ${JSON.stringify(ui.filter)}` : '';
  const title = `Services ${list.length}/${services.length}${filterNote}`;
  const empty = services.length === 0 ? 'no services yet' : 'no service matches the filter';
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle title={title} focused={focused} width={width} color={ui.color} />
      <Line text={`  ${header}`} color={ui.color} tone="dim" />
      {list.length === 0 ? (
        <Line text={fit(`  ${empty}`, width)} color={ui.color} tone="dim" />
      ) : null}
      {list.slice(start, start + bodyHeight).map((service, i) => {
        const index = start + i;
        const selected = index === cursor;
        return (
          <Line
            key={service.id}
            text={`${selected ? '›' : ' '} ${rows[index]}`}
            color={ui.color}
            tone={isDegraded(service) ? 'warn' : 'normal'}
            selected={selected && focused}
            bold={selected}
          />
        );
      })}
    </Box>
  );
}
