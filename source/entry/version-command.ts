import type { Endpoint } from '../docker/endpoint.js';
import { packageVersion } from './package-info.js';

/** What `chaosdeck version` reports: this client, and the engine it would talk to. */
export interface VersionReport {
  client: { version: string; node: string; api: string };
  engine?: { endpoint: string; node: string; version: string; api: string; swarm: string };
  error?: string;
}

/**
 * `chaosdeck version [--json]`: the client's version, Node's and the newest Engine API it speaks;
 * the engine's version and the API version agreed with it (as the docker CLI negotiates). An
 * engine out of reach is said, and exits 1; the client's part is printed all the same.
 */
export async function runVersion(endpoint: Endpoint, json: boolean): Promise<number> {
  const { CLIENT_API_VERSION, DockerEngine } = await import('../docker/client.js');
  const report: VersionReport = {
    client: { version: packageVersion(), node: process.version, api: CLIENT_API_VERSION },
  };
  try {
    const engine = await DockerEngine.connect(endpoint);
    const info = await engine.info();
    report.engine = {
      endpoint: endpoint.url,
      node: info.nodeName,
      version: info.version,
      api: engine.apiVersion,
      swarm: info.swarmState,
    };
  } catch (error) {
    report.error = (error as Error).message;
  }
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const c = report.client;
    process.stdout.write(`chaosdeck ${c.version} (Node ${c.node}, Engine API up to ${c.api})\n`);
    const e = report.engine;
    if (e)
      process.stdout.write(
        `engine ${e.version} at ${e.endpoint} (node ${e.node}, swarm ${e.swarm}), API ${e.api} agreed\n`,
      );
  }
  if (report.error) process.stderr.write(`chaosdeck: ${report.error}\n`);
  return report.error ? 1 : 0;
}
