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

// Dependencies point one way: ui → console → store → core (chaos, live, game-day, record)
// → faults (one module per kind, and their registry) → docker port → domain; and for scripts:
// entry → commands (every scripted command) → experiment → fault-run (the scripted fault path
// both share) → core. Each folder may import only from folders to its right. console/ is the
// console's controller: flows, watchers and the live sync, driving the store.
const FRONT = ['ui', 'console', 'store', 'entry', 'experiment', 'commands', 'fault-run'];
const CORE = ['chaos', 'live', 'game-day', 'record', 'probes'];
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
  // Within the core: the game day writes journals and the record reads them (no arrow back);
  // the live sync serves the game day and knows nothing of it.
  layer(
    ['source/record/**'],
    [...FRONT, 'game-day'],
    'The record reads journals; it knows nothing of the game day that writes them.',
  ),
  layer(
    ['source/live/**'],
    [...FRONT, 'game-day', 'record'],
    'The live sync serves the game day; it knows nothing of it.',
  ),
  layer(
    ['source/probes/**'],
    [...FRONT, 'chaos', 'game-day', 'record'],
    'Probes time one action.',
    false,
  ),
  layer(
    ['source/fault-run/**'],
    ['ui', 'console', 'store', 'entry', 'commands', 'experiment'],
    'The scripted fault path runs on the core; the commands and the experiments use it.',
  ),
  layer(
    ['source/experiment/**'],
    ['ui', 'console', 'store', 'entry', 'commands'],
    'Experiments run on the core and the scripted fault path, not the console or a command.',
  ),
  layer(
    ['source/commands/**'],
    ['ui', 'console', 'store', 'entry'],
    'Commands drive the core and the experiments, not the console; the entry wires them.',
  ),
  layer(
    ['source/console/**'],
    ['ui', 'entry', 'commands', 'experiment', 'fault-run'],
    "The console's controller knows nothing of Ink or the entry.",
  ),
  layer(
    ['source/store/**'],
    ['ui', 'console', 'entry', 'commands', 'experiment', 'fault-run'],
    'The store keeps state, actions and selectors; the controller (console/) drives it.',
  ),
  layer(
    ['source/ui/**'],
    ['entry', 'commands', 'experiment', 'fault-run', 'docker', 'chaos', 'game-day'],
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
