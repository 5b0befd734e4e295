import type { PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, type NagPack } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizePipeline, type SynthesizedPipeline } from './pipeline-fixture';

/**
 * Runs the cdk-nag packs the app registers at synth (AWS Solutions, NIST 800-53 rev 5) on both stacks.
 * Findings that are by design are acknowledged in the constructs with `Validations.of(...).acknowledge`
 * and a reason; anything else fails here (and fails `cdk synth`).
 */
describe('cdk-nag', () => {
  let synthesized: SynthesizedPipeline;

  beforeAll(() => {
    // Prepare
    synthesized = synthesizePipeline();
  });

  function report(violations: PolicyViolation[]): string {
    return violations
      .map(
        (violation) =>
          `${violation.severity} ${violation.ruleName}: ${violation.description}\n` +
          violation.violatingResources.map((resource) => `    ${resource.constructPath}`).join('\n'),
      )
      .join('\n');
  }

  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['NIST 800-53 R5', () => new NIST80053R5Checks()],
  ] as Array<[string, () => NagPack]>)('%s: no unacknowledged findings', (_name, createPack) => {
    // Act
    const { violations } = createPack().validateScope(synthesized.app);

    // Assess
    if (violations.length > 0) console.log(report(violations));
    expect(violations.filter((violation) => violation.severity === 'error').map((v) => v.ruleName)).toEqual([]);
    // Warnings fail `cdk synth` as well (the validation report is unsuccessful).
    expect(violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});
