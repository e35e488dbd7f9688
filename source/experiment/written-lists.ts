/** The three activity lists of a file as written, with where each stands, items unread. */
export function writtenLists(doc: unknown): [where: string, items: unknown[]][] {
  const d = (doc && typeof doc === 'object' ? doc : {}) as Record<string, unknown>;
  const hypothesis = d['steady-state-hypothesis'] as { probes?: unknown } | undefined;
  const lists: [string, unknown][] = [
    ['steady-state-hypothesis.probes', hypothesis?.probes],
    ['method', d.method],
    ['rollbacks', d.rollbacks],
  ];
  return lists.map(([where, list]) => [where, Array.isArray(list) ? list : []]);
}
