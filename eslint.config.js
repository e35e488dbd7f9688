import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';

const layer = (files, banned, why, clients = true) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: banned.map((folder) => `../${folder}/*`),
            message: why,
          },
          ...(clients
            ? [
                {
                  group: ['dockerode', 'execa', 'docker-modem'],
                  message: 'Only source/docker/, source/probes/ and the entry wire real clients.',
                },
              ]
            : []),
        ],
      },
    ],
  },
});

// Dependencies point one way: ui → console → store → core (chaos, live, session, record,
// commands) → faults (one module per kind, and their registry) → docker port → domain. Each
// folder may import only from folders to its right.
// Experiments drive the commands' fault path, so they sit above commands. console/ is the
// console's controller: flows, watchers and the live sync, driving the store.
const FRONT = ['ui', 'console', 'store', 'entry', 'experiment', 'commands'];
const CORE = ['chaos', 'live', 'session', 'record', 'probes'];
const layers = [
  layer(
    ['source/domain/**'],
    [...FRONT, ...CORE, 'faults', 'docker', 'format'],
    'domain/ depends on nothing.',
  ),
  layer(
    ['source/format/**'],
    [...FRONT, ...CORE, 'faults', 'docker'],
    'format/ turns domain values into text.',
  ),
  layer(
    ['source/docker/**'],
    [...FRONT, ...CORE, 'faults', 'format'],
    'docker/ is the port: it knows the domain only.',
    false,
  ),
  layer(
    ['source/faults/**'],
    [...FRONT, ...CORE],
    'A fault kind is one module on the docker port: the core and the front ends use the registry.',
  ),
  layer(
    CORE.filter((f) => f !== 'probes').map((f) => `source/${f}/**`),
    FRONT,
    'The game-day core knows nothing of its front ends (console, commands, entry).',
  ),
  // Within the core: the session writes journals and the record reads them (no arrow back);
  // the live sync serves the session and knows nothing of it.
  layer(
    ['source/record/**'],
    [...FRONT, 'session'],
    'The record reads journals; it knows nothing of the session that writes them.',
  ),
  layer(
    ['source/live/**'],
    [...FRONT, 'session', 'record'],
    'The live sync serves the session; it knows nothing of it.',
  ),
  layer(
    ['source/probes/**'],
    [...FRONT, 'chaos', 'session', 'record'],
    'Probes time one action.',
    false,
  ),
  layer(
    ['source/experiment/**'],
    ['ui', 'console', 'store', 'entry'],
    'Experiments run on the core and the commands, not the console.',
  ),
  layer(
    ['source/commands/**'],
    ['ui', 'console', 'store', 'entry', 'experiment'],
    'Commands drive the core, not the console.',
  ),
  layer(
    ['source/console/**'],
    ['ui', 'entry', 'commands', 'experiment'],
    "The console's controller knows nothing of Ink or the entry.",
  ),
  layer(
    ['source/store/**'],
    ['ui', 'console', 'entry', 'commands', 'experiment'],
    'The store keeps state, actions and selectors; the controller (console/) drives it.',
  ),
  layer(
    ['source/ui/**'],
    ['entry', 'commands', 'experiment', 'docker', 'chaos', 'session'],
    'Components read the store.',
  ),
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'bench/.build/**',
      '.dependency-cruiser.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The single executable's main script: CommonJS, Node's own modules only (scripts/binary.mjs).
    files: ['scripts/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly', Buffer: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...layers,
  {
    files: ['source/ui/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        {
          name: 'setInterval',
          message: 'Timers live outside components; use a stop-returning helper.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='setInterval']",
          message: 'Timers live outside components.',
        },
      ],
    },
  },
  prettier,
);
