import { describe, expect, it } from 'vitest';
import { decide } from '#core/policy/decide';
import { countedOffenses, offenseLevel } from '#core/policy/offense-level';
import { getPolicy } from '#core/policy/registry';
import { createRng } from '#simulation/random';
import { OutcomeRecordSchema, type MatchResult, type OutcomeRecord } from '#core/schemas';
import { generateIdentityPerson } from '#simulation/synthetic-people';
import { generatedMatch, NOW } from './fixtures';

/**
 * The safety rules (README, "Decision policies"), checked over many generated people rather than a few hand-made
 * cases: whatever the status, history and charges, these never end in a detainer.
 */
const policy = getPolicy('sc-2011');
const PEOPLE = 2_000;

interface Case {
  match: MatchResult;
  record: OutcomeRecord;
}

function decideAll(outcome: 'match' | 'inconclusive'): Case[] {
  const rng = createRng(20110617);
  return Array.from({ length: PEOPLE }, (_, index) => {
    const { record: person } = generateIdentityPerson(rng, index);
    const match = generatedMatch(rng.fork(index), person, index, outcome);
    return { match, record: decide(match, policy, { now: NOW }) };
  });
}

const matched = decideAll('match');
const inconclusive = decideAll('inconclusive');

const levelOf = (match: MatchResult) =>
  offenseLevel(countedOffenses(match.identity, match.booking.charges, policy.levels));

describe.each<[string, Case[], (match: MatchResult) => boolean, OutcomeRecord['type']]>([
  ['inconclusive match', inconclusive, () => true, 'biometric-verification'],
  ['US citizen', matched, (match) => match.identity?.immigration.status === 'usc', 'no-action'],
  [
    'undetermined status',
    matched,
    (match) => match.identity?.immigration.status === 'undetermined',
    'discretion-review',
  ],
  [
    'lawful status without a Level 1/2 conviction',
    matched,
    (match) =>
      ['lpr', 'nonimmigrant-in-status', 'humanitarian-deferred'].includes(match.identity?.immigration.status ?? '') &&
      !['L1', 'L2'].includes(levelOf(match) ?? 'none'),
    'no-action',
  ],
])('safety rule: %s', (_name, cases, applies, expectedType) => {
  const covered = cases.filter(({ match }) => applies(match));

  it('covers enough generated people to mean something', () => {
    // Assess
    expect(covered.length).toBeGreaterThan(40);
  });

  it(`never gives a detainer: always ${expectedType}`, () => {
    // Prepare: the generated cases this rule covers.
    // Act
    const types = new Set(covered.map(({ record }) => record.type));
    // Assess
    expect(types).toEqual(new Set([expectedType]));
  });

  it('gives schema-valid records', () => {
    // Act / Assess
    for (const { record } of covered) expect(() => OutcomeRecordSchema.parse(record)).not.toThrow();
  });
});
