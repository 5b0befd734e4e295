import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '#core/policy/decide';
import { POLICIES } from '#core/policy/registry';
import {
  ImmigrationStatusSchema,
  OutcomeRecordSchema,
  type Charge,
  type Conviction,
  type IdentityRecord,
  type MatchResult,
} from '#core/schemas';
import { candidate, matchResult, NOW, SUBJECT_ID } from './fixtures';

/**
 * The safety rules (README, "Decision policies") as properties: under every policy in the registry, for any
 * generated case, never a detainer for a US citizen, for a lawful status without a conviction, on an
 * inconclusive biometric match, on an undetermined status, or without the matched record. fast-check
 * shrinks a failing case to a small one and prints its seed.
 */

// NCIC codes from every category of the code table and a few outside it (unclassified).
const ncicCode = fc.constantFrom(
  '0101',
  '0399',
  '0999',
  '1099',
  '1199',
  '1299',
  '1313',
  '1399',
  '2099',
  '2299',
  '2399',
  '2699',
  '3532',
  '3562',
  '3599',
  '3699',
  '3899',
  '5212',
  '5299',
  '5311',
  '5404',
  '5499',
  '7399',
  '9999',
);
const isoDate = fc
  .integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2024, 11, 31) })
  .map((t) => new Date(t).toISOString().slice(0, 10));
const grade = fc.constantFrom('felony' as const, 'misdemeanor' as const);
const sentence = fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 36_500 }));

const conviction: fc.Arbitrary<Conviction> = fc.record({
  ncicCode,
  literal: fc.constant('OFFENSE'),
  grade,
  maxSentenceDays: sentence,
  sentenceDays: sentence,
  date: isoDate,
});

const charge: fc.Arbitrary<Charge> = fc.record({
  statute: fc.constant('PENAL CODE 1.01'),
  literal: fc.constant('OFFENSE'),
  ncicCode,
  grade,
  maxSentenceDays: sentence,
  disposition: fc.constantFrom('charged' as const, 'convicted' as const),
});

const identityWith = (
  status: fc.Arbitrary<IdentityRecord['immigration']['status']>,
  convictions = fc.array(conviction, { maxLength: 6 }),
) =>
  fc.record({
    subjectId: fc.constant(SUBJECT_ID),
    immigration: fc.record({
      status,
      encounters: fc.array(
        fc.record({
          date: isoDate,
          place: fc.constant('PORT'),
          type: fc.constantFrom(
            'port-of-entry' as const,
            'border-apprehension' as const,
            'interior-arrest' as const,
            'benefit-application' as const,
            'removal' as const,
          ),
        }),
        { maxLength: 4 },
      ),
      removalOrders: fc.array(
        fc.record({
          date: isoDate,
          type: fc.constantFrom('final' as const, 'reinstated' as const, 'expedited' as const),
        }),
        { maxLength: 2 },
      ),
    }),
    criminalHistory: fc.record({ convictions }),
  });

const bookedAt = fc
  .integer({ min: Date.UTC(2008, 9, 27), max: Date.UTC(2024, 11, 31) })
  .map((t) => new Date(t).toISOString());

function caseOf(
  identity: IdentityRecord | null,
  charges: Charge[],
  at: string,
  outcome: MatchResult['outcome'] = 'match',
): MatchResult {
  return matchResult({
    outcome,
    identity: outcome === 'match' ? identity : null,
    candidates: outcome === 'no-match' ? [] : [candidate(SUBJECT_ID, outcome === 'match' ? 250 : 40)],
    booking: { charges, bookedAt: at },
  });
}

const charges = fc.array(charge, { minLength: 1, maxLength: 5 });
const anyStatus = fc.constantFrom(...ImmigrationStatusSchema.options);
const RUNS = { numRuns: 300 };

describe.each(POLICIES.map((policy) => [policy.id, policy] as const))('under policy %s', (_id, policy) => {
  const lawful = policy.statuses.lawful;
  const decideCase = (match: MatchResult) => decide(match, policy, { now: NOW });

  it('never a detainer for a US citizen', () => {
    fc.assert(
      fc.property(identityWith(fc.constant('usc')), charges, bookedAt, (id, cs, at) => {
        const record = decideCase(caseOf(id, cs, at));
        expect(record.type).toBe('no-action');
      }),
      RUNS,
    );
  });

  it('never a detainer for a lawful status without a conviction', () => {
    fc.assert(
      fc.property(
        identityWith(fc.constantFrom(...lawful), fc.constant([])),
        fc.array(
          charge.map((c) => ({ ...c, disposition: 'charged' as const })),
          { minLength: 1, maxLength: 5 },
        ),
        bookedAt,
        (id, cs, at) => {
          const record = decideCase(caseOf(id, cs, at));
          expect(record.type).toBe('no-action');
        },
      ),
      RUNS,
    );
  });

  it('never a detainer on an inconclusive biometric match', () => {
    fc.assert(
      fc.property(identityWith(anyStatus), charges, bookedAt, (id, cs, at) => {
        const record = decideCase(caseOf(id, cs, at, 'inconclusive'));
        expect(record.type).toBe('biometric-verification');
      }),
      RUNS,
    );
  });

  it('never a detainer on an undetermined status, or without the matched record', () => {
    fc.assert(
      fc.property(identityWith(fc.constant('undetermined')), charges, bookedAt, fc.boolean(), (id, cs, at, drop) => {
        const record = decideCase(caseOf(drop ? null : id, cs, at));
        expect(record.type).toBe('discretion-review');
      }),
      RUNS,
    );
  });

  it('decides any case into one schema-valid record, the same every time, naming the policy and its rules', () => {
    fc.assert(
      fc.property(
        identityWith(anyStatus),
        charges,
        bookedAt,
        fc.constantFrom('match' as const, 'inconclusive' as const, 'no-match' as const),
        (id, cs, at, outcome) => {
          const match = caseOf(id, cs, at, outcome);
          const record = decideCase(match);
          expect(OutcomeRecordSchema.parse(record)).toEqual(record);
          expect(decideCase(structuredClone(match))).toEqual(record);
          expect(record.policy).toEqual({ id: policy.id, version: policy.version });
          expect(record.rulesFired.length).toBeGreaterThan(0);
          if (record.type === 'detainer') {
            expect(['match']).toContain(match.outcome);
            expect(policy.statuses.citizen).not.toContain(match.identity?.immigration.status);
          }
        },
      ),
      RUNS,
    );
  });
});
