import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTION_KEYS, type FunctionKey } from './functions';

/**
 * What the execution environments load: the TypeScript sources under functions/, or the bundles
 * `cdk synth` builds into a cloud assembly (cdk.out), as deployed: `'bundles'` for the project's
 * cdk.out, or another assembly directory, built there if it is missing (or when `rebuild` is set).
 */
export type HandlerSource = 'sources' | 'bundles' | { cdkOut: string; rebuild?: boolean };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STACK = 'ScPipelineStateless';
/** The construct id of each function in the stateless stack. */
const CONSTRUCT_IDS: Record<FunctionKey, string> = {
  ingest: 'IngestFunction',
  'get-booking': 'GetBookingFunction',
  match: 'MatchFunction',
  decide: 'DecideFunction',
};

interface TemplateResource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties?: { Handler?: string };
}

/** The file URL of each function's handler module. */
export function handlerUrls(source: HandlerSource): Record<FunctionKey, string> {
  if (source === 'sources') {
    return Object.fromEntries(
      FUNCTION_KEYS.map((key) => [key, pathToFileURL(join(ROOT, 'functions', key, 'handler.ts')).href]),
    ) as Record<FunctionKey, string>;
  }
  const { cdkOut, rebuild } = source === 'bundles' ? { cdkOut: 'cdk.out', rebuild: false } : source;
  const dir = isAbsolute(cdkOut) ? cdkOut : resolve(ROOT, cdkOut);
  const found = rebuild ? undefined : bundlesIn(dir);
  if (found) return found;
  synthesize(dir);
  const built = bundlesIn(dir);
  if (!built) throw new Error(`cdk synth wrote no bundle of every function into ${dir}`);
  return built;
}

/** Each function's bundle in a cloud assembly, from the template's asset metadata; undefined if any is missing. */
export function bundlesIn(dir: string): Record<FunctionKey, string> | undefined {
  const templatePath = join(dir, `${STACK}.template.json`);
  if (!existsSync(templatePath)) return undefined;
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, TemplateResource> };
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  const urls: Partial<Record<FunctionKey, string>> = {};
  for (const key of FUNCTION_KEYS) {
    const resource = functions.find((r) => r.Metadata?.['aws:cdk:path'] === `${STACK}/${CONSTRUCT_IDS[key]}/Resource`);
    const asset = resource?.Metadata?.['aws:asset:path'];
    // The handler setting is `index.handler`: the module index.mjs, its export `handler`.
    const [file] = (resource?.Properties?.Handler ?? 'index.handler').split('.');
    if (typeof asset !== 'string') return undefined;
    const path = join(dir, asset, `${file}.mjs`);
    if (!existsSync(path)) return undefined;
    urls[key] = pathToFileURL(path).href;
  }
  return urls as Record<FunctionKey, string>;
}

/** Runs the CDK app as `cdk synth` does (bundling every function with esbuild), without the compliance checks. */
function synthesize(dir: string): void {
  const cdk = join(ROOT, 'node_modules', '.bin', 'cdk');
  const result = spawnSync(cdk, ['synth', '--quiet', '--output', dir], {
    cwd: ROOT,
    env: { ...process.env, CDK_VALIDATION: 'false' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`cdk synth failed (exit ${result.status}): ${(result.stderr || result.stdout).slice(-2000)}`);
  }
}
