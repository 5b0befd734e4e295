import { describe, expect, it } from 'vitest';
import { decide } from '#core/policy/decide';
import { getPolicy } from '#core/policy/registry';
import { inputHash } from '#core/records/input-hash';
import { OutcomeRecordSchema, type OutcomeRecord } from '#core/schemas';
import {
  candidate,
  charge,
  conviction,
  felony,
  identity,
  matchResult,
  NOW,
  SUBJECT_ID,
  type MatchOptions,
} from './fixtures';

const policy = getPolicy('sc-2011');

const L1 = [felony({ ncicCode: '1299', literal: 'ROBBERY' })];
const L2 = [felony()];
const L2_BY_MISDEMEANORS = [conviction(), conviction({ ncicCode: '2399' }), conviction({ ncicCode: '5499' })];
const L3 = [conviction()];
const FINAL_ORDER = [{ date: '2006-01-10', type: 'final' as const }];

interface Expected {
  type: OutcomeRecord['type'];
  rules: string[];
  fields?: Record<string, unknown>;
}

describe('decide under sc-2011: every path', () => {
  describe.each<[string, MatchOptions, Expected]>([
    [
      'no match',
      { outcome: 'no-match' },
      { type: 'no-action', rules: ['outcome.no-match'], fields: { reason: 'no-match' } },
    ],
    [
      'inconclusive match',
      {
        outcome: 'inconclusive',
        candidates: [candidate('FIN1000000007', 44), candidate('FIN1000000008', 31)],
      },
      {
        type: 'biometric-verification',
        rules: ['outcome.inconclusive', 'safety.inconclusive-match'],
        fields: {
          candidates: [
            { subjectId: 'FIN1000000007', score: 44 },
            { subjectId: 'FIN1000000008', score: 31 },
          ],
        },
      },
    ],
    [
      'citizen, even with a Level 1 conviction',
      { identity: identity('usc', L1) },
      { type: 'no-action', rules: ['outcome.match', 'safety.citizen'], fields: { reason: 'citizen' } },
    ],
    [
      'undetermined status with a Level 1 conviction',
      { identity: identity('undetermined', L1) },
      {
        type: 'discretion-review',
        rules: ['outcome.match', 'level.L1', 'safety.undetermined-status'],
        fields: { level: 'L1', priority: 'high', reviewDueDate: '2011-06-12' },
      },
    ],
    [
      'undetermined status without a conviction',
      { identity: identity('undetermined') },
      {
        type: 'discretion-review',
        rules: ['outcome.match', 'level.none', 'safety.undetermined-status'],
        fields: { level: null, priority: 'low', reviewDueDate: '2011-07-10' },
      },
    ],
    [
      'match without the matched record',
      { identity: null },
      {
        type: 'discretion-review',
        rules: ['outcome.match', 'safety.missing-identity-record'],
        fields: { level: null, priority: 'low' },
      },
    ],
    [
      'LPR without a conviction',
      { identity: identity('lpr') },
      {
        type: 'no-action',
        rules: ['outcome.match', 'level.none', 'safety.lawful-status'],
        fields: { reason: 'lawful-status' },
      },
    ],
    [
      'LPR with a Level 3 conviction',
      { identity: identity('lpr', L3) },
      {
        type: 'no-action',
        rules: ['outcome.match', 'level.L3', 'safety.lawful-status'],
        fields: { reason: 'lawful-status' },
      },
    ],
    [
      'humanitarian status with a Level 3 conviction',
      { identity: identity('humanitarian-deferred', L3) },
      {
        type: 'no-action',
        rules: ['outcome.match', 'level.L3', 'safety.lawful-status'],
        fields: { reason: 'lawful-status' },
      },
    ],
    [
      'LPR with a Level 1 conviction',
      { identity: identity('lpr', L1) },
      {
        type: 'detainer',
        rules: ['outcome.match', 'level.L1', 'status.removable-conviction', 'detainer.priority-level'],
        fields: { level: 'L1', basis: ['investigation-initiated', 'conviction-L1'] },
      },
    ],
    [
      'nonimmigrant in status with a Level 2 conviction',
      { identity: identity('nonimmigrant-in-status', L2) },
      {
        type: 'detainer',
        rules: ['outcome.match', 'level.L2', 'status.removable-conviction', 'detainer.priority-level'],
        fields: { level: 'L2', basis: ['investigation-initiated', 'conviction-L2'] },
      },
    ],
    [
      'EWI with a Level 1 conviction',
      { identity: identity('ewi', L1) },
      {
        type: 'detainer',
        rules: ['outcome.match', 'level.L1', 'status.removable', 'detainer.priority-level'],
        fields: { level: 'L1', basis: ['investigation-initiated', 'conviction-L1'] },
      },
    ],
    [
      'overstay with three misdemeanors (Level 2)',
      { identity: identity('overstay', L2_BY_MISDEMEANORS) },
      {
        type: 'detainer',
        rules: ['outcome.match', 'level.L2', 'status.removable', 'detainer.priority-level'],
        fields: { level: 'L2', basis: ['investigation-initiated', 'conviction-L2'] },
      },
    ],
    [
      'proceedings pending with a Level 2 conviction',
      { identity: identity('proceedings-pending', L2) },
      {
        type: 'detainer',
        rules: ['outcome.match', 'level.L2', 'status.removable', 'detainer.priority-level'],
        fields: { level: 'L2', basis: ['investigation-initiated', 'notice-to-appear', 'conviction-L2'] },
      },
    ],
    [
      'final order without a conviction',
      { identity: identity('final-order', [], FINAL_ORDER) },
      {
        type: 'detainer',
        rules: ['outcome.match', 'level.none', 'status.removable', 'detainer.removal-order'],
        fields: { level: null, basis: ['investigation-initiated', 'removal-order'] },
      },
    ],
    [
      'previously removed with a Level 3 conviction',
      { identity: identity('previously-removed', L3, FINAL_ORDER) },
      {
        type: 'detainer',
        rules: ['outcome.match', 'level.L3', 'status.removable', 'detainer.removal-order'],
        fields: { level: 'L3', basis: ['investigation-initiated', 'removal-order'] },
      },
    ],
    [
      'final order with the order missing from the record',
      { identity: identity('final-order') },
      {
        type: 'detainer',
        rules: ['outcome.match', 'level.none', 'status.removable', 'detainer.removal-order'],
        fields: { basis: ['investigation-initiated', 'removal-order'] },
      },
    ],
    [
      'EWI with a Level 3 conviction (below priority)',
      { identity: identity('ewi', L3) },
      {
        type: 'discretion-review',
        rules: ['outcome.match', 'level.L3', 'status.removable', 'review.below-priority'],
        fields: {
          level: 'L3',
          priority: 'normal',
          reviewDueDate: '2011-06-24',
          positiveFactors: [],
          negativeFactors: [],
        },
      },
    ],
    [
      'overstay without a conviction (below priority)',
      { identity: identity('overstay') },
      {
        type: 'discretion-review',
        rules: ['outcome.match', 'level.none', 'status.removable', 'review.below-priority'],
        fields: { level: null, priority: 'low', reviewDueDate: '2011-07-10' },
      },
    ],
    [
      'EWI charged (not convicted) with a felony on this booking',
      {
        identity: identity('ewi'),
        booking: { charges: [charge({ ncicCode: '1299', grade: 'felony', maxSentenceDays: 7300 })] },
      },
      {
        type: 'discretion-review',
        rules: ['outcome.match', 'level.none', 'status.removable', 'review.below-priority'],
        fields: { level: null },
      },
    ],
    [
      'EWI convicted of a felony on this booking',
      {
        identity: identity('ewi'),
        booking: {
          charges: [charge({ ncicCode: '2299', grade: 'felony', maxSentenceDays: 7300, disposition: 'convicted' })],
        },
      },
      {
        type: 'detainer',
        rules: ['outcome.match', 'level.L2', 'status.removable', 'detainer.priority-level'],
        fields: { level: 'L2' },
      },
    ],
  ])('%s', (_name, options, expected) => {
    it(`gives a schema-valid ${expected.type} record naming the rules that fired`, () => {
      // Prepare
      const match = matchResult(options);
      // Act
      const record = decide(match, policy, { now: NOW });
      // Assess
      expect(() => OutcomeRecordSchema.parse(record)).not.toThrow();
      expect(record.type).toBe(expected.type);
      expect(record.rulesFired.map((rule) => rule.id)).toEqual(expected.rules);
      expect(record).toMatchObject(expected.fields ?? {});
      expect(record.reasons.length).toBeGreaterThan(0);
    });

    it('carries the booking, the policy, the match summary and the input hash', () => {
      // Prepare
      const match = matchResult(options);
      const best = [...match.candidates].sort((a, b) => b.score - a.score)[0];
      // Act
      const record = decide(match, policy, { now: NOW });
      // Assess
      expect(record).toMatchObject({
        submissionId: match.booking.submissionId,
        version: 1,
        status: 'active',
        ori: match.booking.ori,
        bookingNumber: match.booking.bookingNumber,
        bookedAt: match.booking.bookedAt,
        decidedAt: NOW.toISOString(),
        policy: { id: 'sc-2011', version: policy.version },
        match: {
          outcome: match.outcome,
          score: best?.score ?? 0,
          subjectId: match.outcome === 'no-match' ? null : (match.identity?.subjectId ?? best?.subjectId ?? null),
        },
        inputHash: inputHash(match, policy),
      });
    });

    it('writes reasons and rule descriptions without personal data', () => {
      // Prepare
      const match = matchResult(options);
      // Act
      const record = decide(match, policy, { now: NOW });
      // Assess
      const text = JSON.stringify([record.reasons, record.rulesFired]);
      for (const personal of [SUBJECT_ID, 'FIN1000000007', 'A200000042', match.booking.bookingNumber, 'ROBBERY']) {
        expect(text).not.toContain(personal);
      }
    });
  });
});

describe('decide: detainer details', () => {
  it('requests a 48-hour hold that skips the weekend, on the I-247 in effect, served on the booking jail', () => {
    // Prepare: booked on Friday 2011-06-10 at 09:30 in UTC-05:00.
    const match = matchResult({ identity: identity('ewi', L1) });
    // Act
    const record = decide(match, policy, { now: NOW });
    // Assess: 14.5 hours on Friday, 24 on Monday, 9.5 on Tuesday -> Tuesday 09:30 local.
    expect(record).toMatchObject({
      type: 'detainer',
      form: { id: 'I-247', version: '2011-06' },
      hold: {
        requested: true,
        limitHours: 48,
        excludesWeekendsAndHolidays: true,
        deadline: '2011-06-14T14:30:00.000Z',
      },
      languages: ['en'],
      issuingAgency: 'ICE ERO',
      receivingAgencyOri: 'TX2200000',
    });
  });

  it('uses the December 2011 form, with its six languages, for bookings from 2011-12-29', () => {
    // Prepare
    const match = matchResult({ identity: identity('ewi', L1), booking: { bookedAt: '2012-02-01T12:00:00-06:00' } });
    // Act
    const record = decide(match, policy, { now: NOW });
    // Assess
    expect(record).toMatchObject({
      form: { id: 'I-247', version: '2011-12' },
      languages: ['en', 'es', 'fr', 'pt', 'zh', 'vi'],
    });
  });

  it('excludes holidays from the hold when a calendar is given', () => {
    // Prepare: Monday 2011-06-13 declared a holiday.
    const match = matchResult({ identity: identity('ewi', L1) });
    // Act
    const record = decide(match, policy, { now: NOW, isHoliday: (day) => day === '2011-06-13' });
    // Assess: Friday 14.5 h, Tuesday 24 h, Wednesday 9.5 h.
    expect(record.type === 'detainer' && record.hold.deadline).toBe('2011-06-15T14:30:00.000Z');
  });
});

describe('decide: purity', () => {
  it('gives the same record for the same inputs and time', () => {
    // Prepare
    const match = matchResult({ identity: identity('ewi', L1) });
    // Act
    const first = decide(match, policy, { now: NOW });
    const second = decide(structuredClone(match), policy, { now: NOW });
    // Assess
    expect(second).toEqual(first);
  });

  it('stamps the current time when no time is given', () => {
    // Prepare
    const before = Date.now();
    // Act
    const record = decide(matchResult({ outcome: 'no-match' }), policy);
    // Assess
    expect(Date.parse(record.decidedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(record.decidedAt)).toBeLessThanOrEqual(Date.now());
  });
});
