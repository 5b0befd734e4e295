import { defineConfig } from 'vitest/config';

// The SDK warns on every client that Node 20 support ends soon; Lambda runs Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// The functions run with Powertools quiet and a fake region and keys: a unit test never reaches AWS.
const QUIET_FUNCTIONS = {
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'unit',
  AWS_SECRET_ACCESS_KEY: 'unit',
};

export default defineConfig({
  test: {
    // In CI, a JSON report as well, from which .ci/run prints the closing "N passed, N failed" line.
    ...(process.env.CI ? { reporters: ['default', 'json'], outputFile: { json: '.ci/test-results.json' } } : {}),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          env: QUIET_FUNCTIONS,
        },
      },
      {
        test: {
          // The benchmarks' own logic (statistics, cost model, report tables), apart from the product.
          name: 'bench',
          include: ['bench/test/**/*.test.ts'],
          environment: 'node',
          env: QUIET_FUNCTIONS,
        },
      },
      {
        test: {
          name: 'cdk',
          include: ['test/cdk/**/*.test.ts'],
          environment: 'node',
          // Synth with bundling takes a few seconds per stack.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['local/powertools-env.ts'],
          // Handler logs are off unless asked for (the poison-message tests log errors on purpose).
          env: { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT' },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One pair of emulators serves every file; files run one after another so they do not
          // compete for the machine's two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
