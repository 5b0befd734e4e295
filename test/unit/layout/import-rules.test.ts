import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The import-rule messages ESLint reports for `source` as if it were the file at `path`. */
async function importErrors(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-syntax')
    .map((message) => message.message);
}

/**
 * The layout's boundaries, as the lint enforces them: each case is a file that breaks one, linted
 * under the project's own configuration.
 */
describe('the layout import rules', () => {
  it.each([
    ['functions/match/scratch.ts', "import { QUEUES } from '#lib/stateless-stack';", /CDK app, the local runtime/],
    ['functions/decide/scratch.ts', "import { startLocalPipeline } from '#local/local-pipeline';", /CDK app/],
    ['functions/runtime/scratch.ts', "import { cliArgs } from '#cli/args';", /CDK app/],
    [
      'functions/adapters/scratch.ts',
      "import { syntheticGallery } from '#simulation/synthetic-gallery';",
      /simulators/,
    ],
    ['functions/ingest/scratch.ts', "import { percentiles } from '#bench/common/metrics';", /benchmarks/],
    ['functions/ingest/scratch.ts', "import { Stack } from 'aws-cdk-lib';", /Build and deploy tools/],
    ['functions/core/policy/scratch.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", /pure/],
    ['functions/core/policy/scratch.ts', "import { logger } from '#runtime/powertools';", /pure/],
    ['functions/core/biometrics/scratch.ts', "import { sendJson } from '#adapters/queue-sender';", /pure/],
    ['functions/core/policy/scratch.ts', "import { z } from 'zod';", /#core\/zod/],
    ['functions/match/scratch.ts', "export const load = () => import('#core/policy/decide');", /dynamic import/],
    ['local/scratch.ts', "import { percentiles } from '#bench/common/metrics';", /never imports them/],
    ['cli/scratch.ts', "import { decide } from '../functions/core/policy/decide';", /subpath/],
  ])('%s: refuses %s', async (path, source, message) => {
    const errors = await importErrors(path, `${source}\n`);
    expect(errors.some((error) => message.test(error))).toBe(true);
  });

  it.each([
    ['functions/match/scratch.ts', "import { searchGallery } from '#core/biometrics/search';"],
    ['functions/decide/scratch.ts', "import { TABLES } from '#functions/definitions';"],
    ['lib/scratch.ts', "import { TABLES } from '#functions/definitions';"],
    ['bench/pipeline/scratch.ts', "import { startLocalPipeline } from '#local/local-pipeline';"],
    ['functions/core/policy/scratch.ts', "import * as z from '#core/zod';"],
  ])('%s: allows %s', async (path, source) => {
    expect(await importErrors(path, `${source}\n`)).toEqual([]);
  });
});
