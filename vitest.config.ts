import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.{ts,tsx}'],
          environment: 'node',
          // One swarm: integration files run one after another.
          fileParallelism: false,
          globalSetup: ['test/integration/global-setup.ts'],
          // Faults' watchdogs run the image the global setup builds (npm run image).
          env: { CHAOSDECK_WATCHDOG_IMAGE: 'chaosdeck:local' },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
