import { fileURLToPath } from 'node:url';

/**
 * How every function is bundled, as plain data: `PipelineFunction` hands it to NodejsFunction and
 * `npm run bench` hands it to esbuild, so the benchmark measures the bundles the stack deploys.
 * No aws-cdk-lib import here (the benchmark loads this file).
 */
export interface LambdaBundleSettings {
  readonly format: 'esm';
  readonly target: string;
  readonly minify: boolean;
  readonly sourceMap: boolean;
  readonly sourcesContent: boolean;
  readonly mainFields: readonly string[];
  /** Modules left out of the bundle (none: the AWS SDK is bundled so esbuild tree-shakes it). */
  readonly externalModules: readonly string[];
  readonly banner: string;
  /** Module -> absolute path of the file bundled in its place. */
  readonly alias: Readonly<Record<string, string>>;
}

export const LAMBDA_BUNDLE: LambdaBundleSettings = {
  format: 'esm',
  // The Lambda runtime's Node.js major (Runtime.NODEJS_22_X).
  target: 'node22',
  minify: true,
  sourceMap: true,
  // Source maps without the sources: stack traces get file and line, the bundle stays small.
  sourcesContent: false,
  // `module` first: the ESM builds of the SDK and Powertools, which esbuild can tree-shake.
  mainFields: ['module', 'main'],
  externalModules: [],
  // CommonJS dependencies (the X-Ray SDK under Powertools Tracer) call require(), which ESM lacks.
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
  // No keepNames: nothing reads a class's or function's name (error names are set explicitly, and
  // stack traces go through the source map); keeping them cost 33 KB per bundle.
  alias: {
    // The SDK's default credential chain, of which Lambda only ever runs the environment link.
    '@aws-sdk/credential-provider-node': fileURLToPath(
      new URL('../functions/runtime/lambda-credentials.ts', import.meta.url),
    ),
  },
};
