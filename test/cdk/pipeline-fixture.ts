import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createPipeline, type Pipeline, type PipelineProps } from '#lib/pipeline';

export interface SynthesizedPipeline {
  readonly app: App;
  readonly pipeline: Pipeline;
  readonly stateful: Template;
  readonly stateless: Template;
}

/**
 * Builds both stacks the way `bin/app.ts` does with `CDK_VALIDATION=false` (no cdk-nag plugin) and
 * synthesizes them once. Asset bundling is skipped (`aws:cdk:bundling-stacks` = []): these tests are
 * about the infrastructure, and `cdk synth` exercises the real esbuild bundling.
 */
export function synthesizePipeline(props: PipelineProps = {}): SynthesizedPipeline {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const pipeline = createPipeline(app, props);
  return {
    app,
    pipeline,
    stateful: Template.fromStack(pipeline.stateful),
    stateless: Template.fromStack(pipeline.stateless),
  };
}

type Json = Record<string, unknown>;

export function resources(template: Template, type: string): Array<[string, Json]> {
  return Object.entries(template.findResources(type)) as Array<[string, Json]>;
}

export function properties(resource: Json): Json {
  return (resource.Properties ?? {}) as Json;
}

/**
 * The logical id, in the producing template, of the resource a `Fn::ImportValue` of the consuming
 * template points at (strong cross-stack references: an export per referenced attribute).
 */
export function importedLogicalId(producer: Template, value: unknown): string {
  const exportName = (value as { 'Fn::ImportValue'?: string })['Fn::ImportValue'];
  if (!exportName) throw new Error(`Not an import: ${JSON.stringify(value)}`);
  const outputs = producer.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>;
  const output = Object.values(outputs).find((candidate) => candidate.Export?.Name === exportName);
  if (!output) throw new Error(`No export named ${exportName}`);
  const ref = output.Value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const logicalId = ref.Ref ?? ref['Fn::GetAtt']?.[0];
  if (!logicalId) throw new Error(`Export ${exportName} is not a Ref or GetAtt`);
  return logicalId;
}

/** Every IAM policy statement of a template (identity and resource policies alike). */
export function policyStatements(template: Template): Json[] {
  const statements: Json[] = [];
  const collect = (document: unknown): void => {
    const list = (document as { Statement?: Json[] } | undefined)?.Statement ?? [];
    statements.push(...list);
  };
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [, resource] of resources(template, type)) collect(properties(resource).PolicyDocument);
  }
  for (const [, resource] of resources(template, 'AWS::IAM::Role')) {
    collect(properties(resource).AssumeRolePolicyDocument);
    for (const policy of (properties(resource).Policies ?? []) as Json[]) collect(policy.PolicyDocument);
  }
  for (const [, resource] of resources(template, 'AWS::KMS::Key')) collect(properties(resource).KeyPolicy);
  for (const [type, key] of [
    ['AWS::SQS::QueuePolicy', 'PolicyDocument'],
    ['AWS::SNS::TopicPolicy', 'PolicyDocument'],
  ] as const) {
    for (const [, resource] of resources(template, type)) collect(properties(resource)[key]);
  }
  return statements;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
