#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addComplianceChecks, createPipeline, pipelinePropsFromContext } from '#lib/pipeline';

const app = new App();

// Environment-agnostic unless the CLI knows the account and region (synth works offline, no credentials).
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const env = account && region ? { account, region } : undefined;

createPipeline(app, { ...pipelinePropsFromContext(app), env });

// cdk-nag AWS Solutions + NIST 800-53 rev 5 on every synth; CDK_VALIDATION=false skips them (faster).
if (process.env.CDK_VALIDATION !== 'false') {
  addComplianceChecks(app);
}
