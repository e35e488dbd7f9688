import type { EngineInfo } from '../domain/types.js';

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
export async function runVersion(o: {
  client: VersionReport['client'];
  /** The endpoint in the user's words. */
  endpoint: string;
  /** Connects as the docker CLI does (the entry wires the real client). */
  connect: () => Promise<{ info(): Promise<EngineInfo>; apiVersion: string }>;
  json: boolean;
}): Promise<number> {
  const { json } = o;
  const report: VersionReport = { client: o.client };
  try {
    const engine = await o.connect();
    const info = await engine.info();
    report.engine = {
      endpoint: o.endpoint,
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
