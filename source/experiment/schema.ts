import { z } from 'zod';
import { FAULT_KINDS } from '../faults/registry.js';
import { pythonRegex } from './py-regex.js';

/** chaosdeck's own actions, as the fault commands name them. */
export const CHAOSDECK_ACTIONS = FAULT_KINDS as readonly [string, ...string[]];

/** When the steady-state hypothesis is checked (Chaos Toolkit's runtime.hypothesis.strategy). */
export const HYPOTHESIS_STRATEGIES = [
  'default',
  'before-method-only',
  'after-method-only',
  'during-method-only',
  'continuously',
] as const;
/** One of them. */
export type HypothesisStrategy = (typeof HYPOTHESIS_STRATEGIES)[number];

const seconds = z.number({ error: 'seconds, a number' }).nonnegative({ error: 'not negative' });
const scalar = z.union([z.boolean(), z.number(), z.string()]);

/** Chaos Toolkit's process provider: a program, its arguments, a timeout in seconds. */
const processProvider = z.strictObject({
  type: z.literal('process'),
  path: z.string({ error: 'the program to run' }).min(1, { error: 'the program to run' }),
  // Chaos Toolkit passes each list item through str(); its older mapping form becomes --key value.
  arguments: z
    .union(
      [
        z.string(),
        z.array(z.union([z.string(), z.number(), z.boolean()])),
        z.record(z.string(), z.union([scalar, z.null()])),
      ],
      {
        error: 'a string (split by the shell), a list, or a mapping of options',
      },
    )
    .optional(),
  timeout: seconds.optional(),
  secrets: z.array(z.string()).optional(),
});

/** Chaos Toolkit's http provider. */
const httpProvider = z.strictObject({
  type: z.literal('http'),
  url: z.url({ error: 'an http(s) URL', protocol: /^https?$/ }),
  // Chaos Toolkit hands the method to requests, which takes it in any case ("post").
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']))
    .optional(),
  headers: z.record(z.string(), z.string()).optional(),
  arguments: z.unknown().optional(),
  // A number, or [connect, read] as requests takes it: the longer bounds the call here.
  timeout: z.union([seconds, z.tuple([seconds, seconds])]).optional(),
  expected_status: z.number().int().min(100).max(599).optional(),
  verify_tls: z.boolean().optional(),
  max_retries: z.number().int().nonnegative().optional(),
  secrets: z.array(z.string()).optional(),
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
  error: (issue) => {
    const type = (issue.input as { type?: unknown } | undefined)?.type;
    return type === undefined
      ? 'a provider needs a "type": process, http or chaosdeck (python is not supported)'
      : `${JSON.stringify(type)} is not a provider (process, http, chaosdeck; python is not supported)`;
  },
});

/** What a probe's answer must be for the steady state to hold. */
const tolerance = z.union(
  [
    scalar,
    z.array(scalar),
    z.strictObject({
      type: z.literal('range'),
      range: z.tuple(
        [
          z.number({ error: 'the low bound, a number' }),
          z.number({ error: 'the high bound, a number' }),
        ],
        {
          error: 'two numbers, [low, high] (Chaos Toolkit checks the same)',
        },
      ),
      target: z.string().optional(),
    }),
    z.strictObject({
      type: z.literal('regex'),
      pattern: z.string().superRefine((pattern, ctx) => {
        const read = pythonRegex(pattern);
        if ('error' in read) ctx.addIssue({ code: 'custom', message: read.error });
      }),
      target: z.string().optional(),
    }),
    // Chaos Toolkit's JSONPath tolerance: matches exist, or `count` of them, or exactly `expect`.
    z.strictObject({
      type: z.literal('jsonpath'),
      path: z
        .string({ error: 'a JSONPath, e.g. $.status' })
        .min(1, { error: 'a JSONPath, e.g. $.status' }),
      target: z.string().optional(),
      expect: z.unknown().optional(),
      count: z.number().int().nonnegative().optional(),
    }),
    // A probe as the tolerance: met when it runs (Chaos Toolkit passes it `value`, which a
    // process or http provider has no use for).
    z.looseObject({
      type: z.literal('probe'),
      name: z.string().min(1),
      provider: z.lazy(() => z.discriminatedUnion('type', [processProvider, httpProvider])),
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
      'a value (true, 0, 200, "ok"), a list of values, {"type":"range","range":[lo,hi]}, {"type":"regex","pattern":"…"}, {"type":"jsonpath","path":"$.…"}, a probe, or {"type":"latency","p95_ms":800}',
  },
);

const activity = z.strictObject({
  type: z.enum(['action', 'probe'], { error: '"action" or "probe"' }),
  name: z.string({ error: 'a name for the activity' }).min(1),
  provider,
  pauses: z.strictObject({ before: seconds.optional(), after: seconds.optional() }).optional(),
  background: z.boolean().optional(),
  tolerance: tolerance.optional(),
  controls: z.unknown().optional(),
  // Chaos Toolkit's activity-level bound on the whole activity, in seconds.
  timeout: seconds.optional(),
});

/** A reference to a named activity, as Chaos Toolkit allows in the method and rollbacks. */
const ref = z.strictObject({ ref: z.string().min(1) });

/** A Chaos Toolkit experiment, with chaosdeck's provider. Unknown top-level keys are kept. */
export const experimentSchema = z.looseObject({
  version: z.union([z.string(), z.number()]).optional(),
  title: z.string({ error: 'the experiment needs a title' }).min(1),
  // Chaos Toolkit refuses an empty description and empty tags.
  description: z
    .string({ error: 'the experiment needs a description' })
    .min(1, { error: 'an empty description (Chaos Toolkit refuses it)' }),
  tags: z.array(z.string().min(1, { error: 'an empty tag (Chaos Toolkit refuses it)' })).optional(),
  // Read (and their env references checked) by values.ts before the schema sees the rest.
  configuration: z.record(z.string(), z.unknown()).optional(),
  secrets: z.unknown().optional(),
  'steady-state-hypothesis': z
    .strictObject({
      title: z
        .string({ error: 'the hypothesis needs a title' })
        .min(1, { error: 'the hypothesis needs a title' }),
      probes: z.array(z.union([activity, ref])).optional(),
    })
    .optional(),
  // An empty method is a hypothesis-only experiment: the steady state checked, nothing changed.
  method: z.array(z.union([activity, ref]), {
    error: 'a list of activities (empty: only the steady state is checked)',
  }),
  rollbacks: z.array(z.union([activity, ref])).optional(),
  runtime: z
    .looseObject({
      rollbacks: z
        .strictObject({ strategy: z.enum(['default', 'always', 'never', 'deviated']) })
        .optional(),
      // When the steady state is checked: Chaos Toolkit's hypothesis strategies.
      hypothesis: z
        .strictObject({
          strategy: z.enum(HYPOTHESIS_STRATEGIES, {
            error: `one of ${HYPOTHESIS_STRATEGIES.join(', ')}`,
          }),
          frequency: seconds.optional(),
          fail_fast: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
});

/** One activity, or a reference to one, on its own (to judge each when the file fails). */
export const activityOrRef = z.union([activity, ref]);

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
