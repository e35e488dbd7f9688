import { execa } from 'execa';

/**
 * chaosdeck's objects in the lab's swarm, as `docker config ls` and `docker service ls` list them
 * (`format`: the records' Go template; watchdogs by name, or by id when records are): fault
 * records, watchdog services and partitions' cutters.
 */
export async function chaosdeckInSwarm(
  format = '{{.Name}}',
): Promise<{ records: string[]; watchdogs: string[]; cutters: string[] }> {
  const list = async (what: 'config' | 'service', label: string, format: string) =>
    (await execa('docker', [what, 'ls', '--filter', `label=${label}`, '--format', format])).stdout
      .split('\n')
      .filter(Boolean);
  return {
    records: await list('config', 'chaosdeck.fault', format),
    // `docker service ls` has no {{.Labels}}: services by name, or id.
    watchdogs: await list(
      'service',
      'chaosdeck.watchdog',
      format === '{{.ID}}' ? '{{.ID}}' : '{{.Name}}',
    ),
    // Partitions' cutters (one task on the cut node each).
    cutters: await list(
      'service',
      'chaosdeck.cutter',
      format === '{{.ID}}' ? '{{.ID}}' : '{{.Name}}',
    ),
  };
}
