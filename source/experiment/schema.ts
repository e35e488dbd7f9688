import { z } from 'zod';

/** chaosdeck's own actions, as the fault commands name them. */
export const CHAOSDECK_ACTIONS = [
  'kill',
  'stop',
  'pause',
  'cpu',
  'memory',
  'net',
  'drain',
] as const;

const seconds = z.number({ error: 'seconds, a number' }).nonnegative({ error: 'not negative' });
const scalar = z.union([z.boolean(), z.number(), z.string()]);

/** Chaos Toolkit's process provider: a program, its arguments, a timeout in seconds. */
const processProvider = z.strictObject({
  type: z.literal('process'),
  path: z.string({ error: 'the program to run' }).min(1, { error: 'the program to run' }),
  arguments: z
    .union([z.string(), z.array(z.string())], {
      error: 'a string (split by the shell) or a list of strings',
    })
    .optional(),
  timeout: seconds.optional(),
});

/** Chaos Toolkit's http provider. */
const httpProvider = z.strictObject({
  type: z.literal('http'),
  url: z.url({ error: 'an http(s) URL', protocol: /^https?$/ }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  arguments: z.unknown().optional(),
  timeout: seconds.optional(),
  expected_status: z.number().int().min(100).max(599).optional(),
});

/** chaosdeck's own faults, with the fault commands' options as arguments. */
const chaosdeckProvider = z.strictObject({
  type: z.literal('chaosdeck'),
  action: z.enum(CHAOSDECK_ACTIONS, {
    error: `one of ${CHAOSDECK_ACTIONS.join(', ')}`,
  }),
  target: z.string({ error: 'SERVICE, SERVICE.SLOT, a task or container id, or re:REGEX' }).min(1),
  arguments: z.record(z.string(), scalar).optional(),
  duration: z.union([z.string(), z.number()]).optional(),
});

const provider = z.discriminatedUnion('type', [processProvider, httpProvider, chaosdeckProvider], {
  error: 'a provider with "type": "process", "http" or "chaosdeck" (python is not supported)',
});

/** What a probe's answer must be for the steady state to hold. */
const tolerance = z.union(
  [
    scalar,
    z.array(scalar),
    z.strictObject({
      type: z.literal('range'),
      range: z.tuple([z.number(), z.number()]),
      target: z.string().optional(),
    }),
    z.strictObject({
      type: z.literal('regex'),
      pattern: z.string().refine(isRegex, { error: 'not a valid regular expression' }),
      target: z.string().optional(),
    }),
    z
      .strictObject({
        type: z.literal('latency'),
        p50_ms: z.number().positive().optional(),
        p95_ms: z.number().positive().optional(),
        max_ms: z.number().positive().optional(),
      })
      .refine((t) => t.p50_ms ?? t.p95_ms ?? t.max_ms, {
        error: 'a latency bound: p50_ms, p95_ms or max_ms',
      }),
  ],
  {
    error:
      'a value (true, 0, 200, "ok"), a list of values, {"type":"range","range":[lo,hi]}, {"type":"regex","pattern":"…"} or {"type":"latency","p95_ms":800}',
  },
);

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const activity = z.strictObject({
  type: z.enum(['action', 'probe'], { error: '"action" or "probe"' }),
  name: z.string({ error: 'a name for the activity' }).min(1),
  provider,
  pauses: z.strictObject({ before: seconds.optional(), after: seconds.optional() }).optional(),
  background: z.boolean().optional(),
  tolerance: tolerance.optional(),
  controls: z.unknown().optional(),
});

/** A reference to a named activity, as Chaos Toolkit allows in the method and rollbacks. */
const ref = z.strictObject({ ref: z.string().min(1) });

/** A configuration value: literal, or read from the environment. */
const configValue = z.union([
  scalar,
  z.strictObject({
    type: z.literal('env'),
    key: z.string().min(1),
    default: scalar.optional(),
  }),
]);

/** A Chaos Toolkit experiment, with chaosdeck's provider. Unknown top-level keys are kept. */
export const experimentSchema = z.looseObject({
  version: z.string().optional(),
  title: z.string({ error: 'the experiment needs a title' }).min(1),
  description: z.string({ error: 'the experiment needs a description' }),
  tags: z.array(z.string()).optional(),
  configuration: z.record(z.string(), configValue).optional(),
  secrets: z.unknown().optional(),
  'steady-state-hypothesis': z
    .strictObject({
      title: z.string().min(1),
      probes: z.array(z.union([activity, ref])).optional(),
    })
    .optional(),
  method: z.array(z.union([activity, ref]), { error: 'a list of activities' }).min(1, {
    error: 'at least one activity',
  }),
  rollbacks: z.array(z.union([activity, ref])).optional(),
  runtime: z
    .looseObject({
      rollbacks: z
        .strictObject({ strategy: z.enum(['default', 'always', 'never', 'deviated']) })
        .optional(),
    })
    .optional(),
});

/** An experiment as the file holds it. */
export type ExperimentFile = z.infer<typeof experimentSchema>;
/** One activity (refs resolved). */
export type Activity = z.infer<typeof activity>;
/** A provider of an activity. */
export type Provider = z.infer<typeof provider>;
/** A tolerance of a hypothesis probe. */
export type Tolerance = z.infer<typeof tolerance>;
/** A chaosdeck provider. */
export type ChaosdeckProvider = z.infer<typeof chaosdeckProvider>;
