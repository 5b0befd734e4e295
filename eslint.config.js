import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The functions reach zod through functions/core/zod.ts: zod/mini with English messages installed.
// Classic zod would add ~60 KB to every bundle; zod/mini without that module answers "Invalid input".
const ZOD_PATHS = ['zod', 'zod/mini', 'zod/v4', 'zod/v4/mini'].map((name) => ({
  name,
  message: 'Import #core/zod (zod/mini with English messages) instead.',
}));

/** One pattern of `no-restricted-imports`: the specifiers a folder may not import, and why. */
const forbid = (regex, message) => ({ regex, message });

// Folders name each other by subpath imports (package.json "imports"), never by climbing.
const NO_CLIMBING = forbid('^\\.\\./', 'Import another folder by its subpath (#core/..., #local/...), not ../.');

// What ships in a Lambda bundle imports nothing that does not ship.
const SHIPS_ALONE = [
  forbid(
    '^#(lib|local|cli|simulation|bench|test|scripts)/',
    'functions/ ships in the Lambda bundles: it may not import the CDK app, the local runtime, the CLI, the simulators, the benchmarks or the tests.',
  ),
  forbid('^(aws-cdk-lib|constructs|cdk-nag|esbuild|tsx)(/|$)', 'Build and deploy tools do not ship in a bundle.'),
];

// The domain core is pure: no AWS, no Powertools, no middleware, nothing that does I/O.
const PURE_CORE = [
  forbid('^#(adapters|runtime)/', 'The core is pure: the adapters and the runtime depend on it, not the reverse.'),
  forbid('^(@aws-sdk|@smithy|@aws-lambda-powertools|@middy)/', 'The core is pure: no AWS SDK, Powertools or middy.'),
];

// Nothing the product runs depends on the benchmarks.
const NOT_BENCH = forbid('^#bench/', 'The benchmarks measure the product; the product never imports them.');

const restricted = (patterns, paths = []) => ['error', { paths, patterns }];

export default tseslint.config(
  { ignores: ['node_modules', 'cdk.out', 'coverage', '.local', '.bench-tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      'no-restricted-imports': restricted([NO_CLIMBING]),
    },
  },
  {
    files: ['lib/**/*.ts', 'bin/**', 'local/**/*.ts', 'cli/**/*.ts', 'simulation/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': restricted([NO_CLIMBING, NOT_BENCH]) },
  },
  {
    files: ['functions/**/*.ts'],
    ignores: ['functions/core/zod.ts'],
    rules: { 'no-restricted-imports': restricted([NO_CLIMBING, ...SHIPS_ALONE], ZOD_PATHS) },
  },
  {
    files: ['functions/core/**/*.ts'],
    ignores: ['functions/core/zod.ts'],
    rules: { 'no-restricted-imports': restricted([NO_CLIMBING, ...SHIPS_ALONE, ...PURE_CORE], ZOD_PATHS) },
  },
  {
    // A function's code is loaded statically, so the bundle holds all of it and the rule above sees it.
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'No dynamic import in functions/: import statically.' },
      ],
    },
  },
);
