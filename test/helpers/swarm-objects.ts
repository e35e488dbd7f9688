import { execa } from 'execa';

/**
 * chaosdeck's objects in the lab's swarm, as `docker config ls` and `docker service ls` list them
 * (`format`: their Go template): fault records and watchdog services.
 */
export async function chaosdeckInSwarm(
  format = '{{.Name}}',
): Promise<{ records: string[]; watchdogs: string[] }> {
  const list = async (what: 'config' | 'service', label: string) =>
    (await execa('docker', [what, 'ls', '--filter', `label=${label}`, '--format', format])).stdout
      .split('\n')
      .filter(Boolean);
  return {
    records: await list('config', 'chaosdeck.fault'),
    watchdogs: await list('service', 'chaosdeck.watchdog'),
  };
}
