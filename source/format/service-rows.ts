import type { PublishedPort, Service } from '../domain/types.js';
import { columnWidths, joinCells, type ColumnSpec } from './columns.js';

const SPECS: ColumnSpec[] = [
  { width: 10, flex: 3 }, // name
  { width: 10 }, // mode
  { width: 8, align: 'right' }, // replicas
  { width: 8, flex: 2 }, // image
  { width: 6, flex: 3 }, // ports
  { width: 9 }, // update state
];

/** "18080:8080/tcp (host)" style, comma separated. */
export function formatPorts(ports: PublishedPort[]): string {
  return ports
    .map(
      (p) => `${p.published ?? '*'}:${p.target}/${p.protocol}${p.mode === 'host' ? ' (host)' : ''}`,
    )
    .join(', ');
}

/** True when a service is not at its desired count (the row is highlighted). */
export function isDegraded(service: Pick<Service, 'running' | 'desired'>): boolean {
  return service.running !== service.desired;
}

/** Builds the services pane: a header and one line per service, each exactly `width` cells. */
export function serviceLines(
  services: Service[],
  width: number,
): { header: string; rows: string[] } {
  const widths = columnWidths(SPECS, width);
  const header = joinCells(['NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS', 'UPDATE'], widths, SPECS);
  const rows = services.map((s) =>
    joinCells(
      [
        s.name,
        s.mode,
        `${s.running}/${s.desired}`,
        s.image,
        formatPorts(s.ports),
        s.updateState ?? '',
      ],
      widths,
      SPECS,
    ),
  );
  return { header, rows };
}
