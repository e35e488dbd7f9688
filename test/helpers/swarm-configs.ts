import { FAULT_LABEL } from '../../source/chaos/cluster-ledger.js';
import type { SwarmConfig } from '../../source/docker/port.js';
import type { WatchdogPlan } from '../../source/chaos/watchdogs.js';

/** Swarm configs in memory, as a manager keeps them: a name once, labels set compare-and-set. */
export function configs(sink: { lines: string[] } = { lines: [] }, refuse?: string) {
  const store = new Map<string, SwarmConfig>();
  const swarm = {
    createConfig: async (name: string, labels: Record<string, string>, data: string) => {
      if (refuse) throw new Error(refuse);
      if (store.has(name)) throw new Error(`config ${name} already exists`);
      sink.lines.push(`config create ${labels[FAULT_LABEL]}`);
      store.set(name, { name, labels, data, createdAt: Date.now(), updatedAt: Date.now() });
    },
    removeConfig: async (name: string) => {
      sink.lines.push(`config rm ${name.slice('chaosdeck-fault-'.length)}`);
      return store.delete(name);
    },
    readConfig: async (name: string) => store.get(name),
    listConfigs: async (label: string) => [...store.values()].filter((c) => label in c.labels),
    labelConfig: async (
      name: string,
      labels: Record<string, string>,
      options: { when?: (labels: Record<string, string>) => boolean } = {},
    ) => {
      const c = store.get(name);
      if (!c) return 'gone' as const;
      if (options.when && !options.when(c.labels)) return 'refused' as const;
      if (labels['chaosdeck.status'] === 'undoing')
        sink.lines.push(`config claim ${name.slice('chaosdeck-fault-'.length)}`);
      store.set(name, { ...c, labels: { ...c.labels, ...labels }, updatedAt: Date.now() });
      return 'done' as const;
    },
  };
  return { store, swarm };
}

/** Watchdogs as the tests plan them: the lab's image, the default sockets, a 60 s grace. */
export const plan: WatchdogPlan = {
  image: 'chaosdeck:local',
  socket: '/var/run/docker.sock',
  helperImage: 'docker:cli',
  helperSocket: '/var/run/docker.sock',
  graceMs: 60_000,
};
