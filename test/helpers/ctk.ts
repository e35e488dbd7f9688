/** The top-level keys of a Chaos Toolkit journal (chaoslib/run.py), as the issue lists them. */
export const CTK_JOURNAL_KEYS = [
  'chaoslib-version',
  'platform',
  'node',
  'experiment',
  'start',
  'end',
  'duration',
  'status',
  'deviated',
  'steady_states',
  'run',
  'rollbacks',
];

/** The keys of each run[] entry. */
export const CTK_RUN_KEYS = ['activity', 'output', 'start', 'end', 'duration', 'status'];
