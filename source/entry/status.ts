import { stripVTControlCharacters } from 'node:util';
import type { SwarmPort } from '../docker/port.js';
import type { EngineInfo } from '../domain/types.js';
import { statusRows } from '../format/status-table.js';

/** `chaosdeck status`: one table of services and their current tasks, written once. */
export async function printStatus(
  port: SwarmPort,
  info: EngineInfo,
  out: NodeJS.WriteStream,
  color: boolean,
): Promise<void> {
  const [services, tasks, nodes] = await Promise.all([
    port.listServices(),
    port.listTasks(),
    port.listNodes(),
  ]);
  const ready = nodes.filter((n) => n.ready).length;
  const title = `swarm ${info.swarmState} · ${info.nodeName} · engine ${info.version} API ${info.apiVersion} · nodes ${ready}/${nodes.length} ready`;
  // Ink loads only for this one table.
  const { renderStatus } = await import('../ui/StatusTable.js');
  const text = renderStatus(
    title,
    statusRows(services, tasks, nodes, Date.now()),
    out.columns || 200,
  );
  out.write(`${color ? text : stripVTControlCharacters(text)}\n`);
}
