import { memo } from 'react';
import { Box } from 'ink';
import { parseFilter } from '../domain/filter.js';
import { fit, scrollMarks, scrollStart } from '../format/fit.js';
import { isDegraded, serviceLines } from '../format/service-rows.js';
import { selectedService, visibleServices } from '../store/selectors.js';
import { useDeck } from './context.js';
import { Lines, PaneTitle } from './Line.js';

/** The services pane: name, mode, replicas, image, ports, update state; degraded rows highlighted. */
export const ServicesPane = memo(function ServicesPane({ height }: { height: number }) {
  const services = useDeck((s) => s.services);
  const ui = useDeck((s) => s.ui);
  const width = ui.size.columns;
  const list = visibleServices({ services, ui });
  const selectedId = selectedService({ services, ui })?.id;
  const focused = ui.pane === 'services';
  const bodyHeight = Math.max(0, height - 2);
  const cursor = Math.max(
    0,
    list.findIndex((s) => s.id === selectedId),
  );
  const start = scrollStart(list.length, cursor, bodyHeight);
  // Only the rows on screen are formatted.
  const shown = list.slice(start, start + bodyHeight);
  const { header, rows } = serviceLines(shown, width - 2);
  const parsed = parseFilter(ui.filter);
  const filterNote = !ui.filter
    ? ''
    : parsed.kind === 'invalid'
      ? ` filter ${JSON.stringify(ui.filter)} is not a regex (${parsed.error}): showing all`
      : ` filter ${JSON.stringify(ui.filter)}`;
  const marks = scrollMarks(start, shown.length, list.length);
  const title = `Services ${list.length}/${services.length}${filterNote}${marks ? ` · ${marks}` : ''}`;
  const empty = services.length === 0 ? 'no services yet' : 'no service matches the filter';
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle title={title} focused={focused} width={width} color={ui.color} />
      <Lines
        color={ui.color}
        lines={[
          { text: `  ${header}`, tone: 'dim' },
          ...(list.length === 0 ? [{ text: fit(`  ${empty}`, width), tone: 'dim' as const }] : []),
          ...shown.map((service, i) => {
            const selected = start + i === cursor;
            return {
              text: `${selected ? '›' : ' '} ${rows[i]}`,
              tone: isDegraded(service) ? ('warn' as const) : ('normal' as const),
              selected: selected && focused,
              bold: selected,
            };
          }),
        ]}
      />
    </Box>
  );
});
