import type { PublishedPort, Service } from '../domain/types.js';
import { contentWidths, joinCells, type ColumnSpec } from './columns.js';

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

/**
 * Builds the services pane: a header and one line per service, each exactly `width` cells, the
 * columns as wide as these rows need where the line has room.
 */
export function serviceLines(
  services: Service[],
  width: number,
): { header: string; rows: string[] } {
  const titles = ['NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS', 'UPDATE'];
  const cells = services.map((s) => [
    s.name,
    s.mode,
    `${s.running}/${s.desired}`,
    s.image,
    formatPorts(s.ports),
    s.updateState ?? '',
  ]);
  // Sized by the rows given (the ones on screen): long names show whole where the line has room.
  const widths = contentWidths(SPECS, width, [titles, ...cells]);
  const header = joinCells(titles, widths, SPECS);
  const rows = cells.map((row) => joinCells(row, widths, SPECS));
  return { header, rows };
}
