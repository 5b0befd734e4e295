import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The functions reach zod through functions/core/zod.ts: zod/mini with English messages installed.
// Classic zod would add ~60 KB to every bundle; zod/mini without that module answers "Invalid input".
const ZOD_PATHS = ['zod', 'zod/mini', 'zod/v4', 'zod/v4/mini'].map((name) => ({
  name,
  message: 'Import functions/core/zod.ts (zod/mini with English messages) instead.',
}));

export default tseslint.config(
  { ignores: ['node_modules', 'cdk.out', 'coverage', '.local', '.bench-tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['functions/**/*.ts'],
    ignores: ['functions/core/zod.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ZOD_PATHS }] },
  },
  {
    // The domain core stays pure: no AWS SDK, no Powertools, no CDK.
    files: ['functions/core/**/*.ts'],
    ignores: ['functions/core/zod.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ZOD_PATHS,
          patterns: ['@aws-sdk/*', '@aws-lambda-powertools/*', 'aws-cdk-lib', 'aws-cdk-lib/*', '@middy/*'],
        },
      ],
    },
  },
);
