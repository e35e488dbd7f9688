/** A change of the manager chaosdeck reads and changes the swarm through. */
export interface ManagerSwitch {
  /** The manager left and the one used now: node name, else endpoint. */
  from: string;
  to: string;
  /** The endpoint used now. */
  endpoint: string;
  /** Back on the manager chaosdeck started with. */
  home: boolean;
  /** Why the manager left could not serve (a few words), when it was lost. */
  reason?: string;
  /** When (epoch ms, this machine's clock). */
  at: number;
}
