import { describe, expect, it } from 'vitest';
import { decide } from '#core/policy/decide';
import { getPolicy } from '#core/policy/registry';
import type { Charge, Conviction, IdentityRecord, MatchResult, OutcomeRecord } from '#core/schemas';
import { charge, conviction, felony, identity, matchResult, NOW } from './fixtures';

/**
 * Table-driven cases, each traced to a sentence of docs/domain.md (the citation is beside the
 * case), with the expected record under each of the four policies. The same case is decided under
 * every policy, booked on a date inside that policy's era so that the era's forms apply.
 *
 * Expected outcome per policy: a form id (a detainer or notification request on that form),
 * 'review' (discretion review), 'no-action', or 'verification' (biometric verification).
 */
const ERAS = ['sc-2011', 'detainer-2012', 'pep-2014', 'eo-2017'] as const;
type Era = (typeof ERAS)[number];
type Expected = 'I-247' | 'I-247D' | 'I-247N' | 'I-247A' | 'review' | 'no-action' | 'verification';

/** A weekday inside each era, so that its forms are in effect. */
const BOOKED_AT: Record<Era, string> = {
  'sc-2011': '2011-06-08T09:30:00-05:00',
  'detainer-2012': '2013-06-12T09:30:00-05:00',
  'pep-2014': '2016-06-15T09:30:00-05:00',
  'eo-2017': '2018-06-13T09:30:00-05:00',
};

interface CitedCase {
  name: string;
  /** docs/domain.md section and the sentence the expectation rests on. */
  cite: string;
  outcome?: MatchResult['outcome'];
  identity: IdentityRecord | null;
  charges?: Charge[];
  expected: [Expected, Expected, Expected, Expected];
  /** A different booking time under some eras (e.g. after a memo inside an era). */
  bookedAt?: Partial<Record<Era, string>>;
  /** Further checks on the record under one era. */
  also?: Partial<Record<Era, (record: OutcomeRecord) => void>>;
}

const misdemeanor = (ncicCode: string, overrides: Partial<Conviction> = {}) =>
  conviction({ ncicCode, grade: 'misdemeanor', maxSentenceDays: 365, sentenceDays: 10, ...overrides });
const larceny = () => misdemeanor('2399', { literal: 'THEFT UNDER 500', maxSentenceDays: 180 });
/**
 * The booking's charge when a case names none: a pending disorderly conduct charge, significant under
 * no era's list. Every booking has a charge, so under EO 13768 ("pending charge") every removable
 * person booked is a priority.
 */
const NEUTRAL_CHARGE = charge({
  ncicCode: '5311',
  literal: 'DISORDERLY CONDUCT',
  grade: 'misdemeanor',
  maxSentenceDays: 180,
});
const finalOrder = { date: '2010-03-01', type: 'final' as const };
const pendingCharge = (ncicCode: string, grade: Charge['grade']) =>
  charge({ ncicCode, grade, disposition: 'charged', maxSentenceDays: grade === 'felony' ? 3650 : 180 });
const detainer = (record: OutcomeRecord) => {
  if (record.type !== 'detainer') throw new Error(`expected a detainer, got ${record.type}`);
  return record;
};
const review = (record: OutcomeRecord) => {
  if (record.type !== 'discretion-review') throw new Error(`expected a review, got ${record.type}`);
  return record;
};

const CASES: CitedCase[] = [
  // --- the safety rules, under every era
  {
    name: 'a US citizen with an aggravated felony',
    cite: '§2 Suggested rules: "USC, or lawful with no removable conviction → NO_ACTION"',
    identity: identity('usc', [felony({ ncicCode: '0999', literal: 'MURDER' })]),
    expected: ['no-action', 'no-action', 'no-action', 'no-action'],
  },
  {
    name: 'a US citizen with a pending felony charge',
    cite: '§2 Suggested rules: "USC ... → NO_ACTION (cancel any detainer)"',
    identity: identity('usc'),
    charges: [pendingCharge('2299', 'felony')],
    expected: ['no-action', 'no-action', 'no-action', 'no-action'],
  },
  {
    name: 'a lawful permanent resident without convictions',
    cite: '§2 Suggested rules: "lawful with no removable conviction → NO_ACTION"',
    identity: identity('lpr'),
    expected: ['no-action', 'no-action', 'no-action', 'no-action'],
  },
  {
    name: 'a lawful permanent resident with a pending felony charge only',
    cite: '§2 Suggested rules: "lawful with no removable conviction → NO_ACTION" (a charge is not a conviction)',
    identity: identity('lpr'),
    charges: [pendingCharge('2299', 'felony')],
    expected: ['no-action', 'no-action', 'no-action', 'no-action'],
  },
  {
    name: 'a lawful permanent resident with one DUI misdemeanor (Level 3)',
    cite: '§2 Suggested rules: "lawful with no removable conviction → NO_ACTION"; Levels: "L3: an offense punishable by <1 yr"',
    identity: identity('lpr', [conviction()]),
    expected: ['no-action', 'no-action', 'no-action', 'no-action'],
  },
  {
    name: 'a nonimmigrant in status with two misdemeanors (Level 3)',
    cite: '§2 Suggested rules: "lawful with no removable conviction → NO_ACTION"',
    identity: identity('nonimmigrant-in-status', [larceny(), larceny()]),
    expected: ['no-action', 'no-action', 'no-action', 'no-action'],
  },
  {
    name: 'an IDENT no-match',
    cite: '§2 Suggested rules: "IDENT no-match → NO_ACTION"',
    outcome: 'no-match',
    identity: null,
    expected: ['no-action', 'no-action', 'no-action', 'no-action'],
  },
  {
    name: 'an inconclusive biometric match',
    cite: '§1 Flow: "On a match, CJIS sends an IAQ to ICE LESC" (no confirmed match, no IAQ: an examiner verifies first)',
    outcome: 'inconclusive',
    identity: null,
    expected: ['verification', 'verification', 'verification', 'verification'],
  },
  {
    name: 'an undetermined status with a felony conviction',
    cite: '§2 Suggested rules: "UNDETERMINED → DISCRETION_REVIEW. Never an automatic detainer."',
    identity: identity('undetermined', [felony()]),
    expected: ['review', 'review', 'review', 'review'],
  },
  {
    name: 'a match without the matched record',
    cite: '§2 Suggested rules: "UNDETERMINED → DISCRETION_REVIEW" (no record, no known status)',
    identity: null,
    expected: ['review', 'review', 'review', 'review'],
  },
  // --- convictions
  {
    name: 'a lawful permanent resident convicted of murder (aggravated felony)',
    cite: '§2 Levels: "L1: convicted of an aggravated felony"; PEP "P1: ... (e) aggravated felony"; EO 13768 "(a)-(g) cover any conviction"',
    identity: identity('lpr', [felony({ ncicCode: '0999', literal: 'MURDER' })]),
    // A resident since 2001: long-time LPR from 2011 on, a positive factor under 10075.1 (not under EO 13768).
    expected: ['I-247', 'review', 'review', 'I-247A'],
    also: {
      'detainer-2012': (r) =>
        expect(review(r)).toMatchObject({ priority: 'high', positiveFactors: ['long-time-lpr'], negativeFactors: [] }),
    },
  },
  {
    name: 'an overstay with one felony (burglary, Level 2)',
    cite: '§2 Levels: "L2: 1 offense punishable by >1 yr"; 2012: "felony conviction or charge"; PEP "P1 (d) felony"',
    identity: identity('overstay', [felony()]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
    also: { 'pep-2014': (r) => expect(detainer(r).hold).toMatchObject({ requested: false, deadline: null }) },
  },
  {
    name: 'an overstay with two felonies (Level 1)',
    cite: '§2 Levels: "L1: ... or of ≥2 offenses punishable by >1 yr"',
    identity: identity('overstay', [felony(), felony({ date: '2007-01-01' })]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
    also: { 'sc-2011': (r) => expect(detainer(r).level).toBe('L1') },
  },
  {
    name: 'an overstay with three misdemeanor thefts (Level 2)',
    cite: '§2 Levels: "L2: ... or ≥3 offenses punishable by <1 yr"; 2012: "≥3 misdemeanor convictions"; PEP "P2: (a) ≥3 misdemeanors"',
    identity: identity('overstay', [larceny(), larceny(), larceny()]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
  },
  {
    name: 'an overstay with two misdemeanor thefts (Level 3)',
    cite: '§2 Levels: "L3: an offense punishable by <1 yr"; EO 13768 priorities "cover any conviction"',
    identity: identity('overstay', [larceny(), larceny()]),
    expected: ['review', 'review', 'review', 'I-247A'],
    also: { 'sc-2011': (r) => expect(review(r)).toMatchObject({ level: 'L3', priority: 'normal' }) },
  },
  {
    name: 'an overstay with one DUI misdemeanor',
    cite: '§2 2012: "misdemeanor involving ... DUI"; PEP "P2 (b) a significant misdemeanor (... DUI ...)"',
    identity: identity('overstay', [conviction()]),
    expected: ['review', 'I-247', 'I-247N', 'I-247A'],
  },
  {
    name: 'an overstay with one simple-assault misdemeanor, 30 days',
    cite: '§2 2012: "misdemeanor involving violence"; PEP 2(b) lists DV, not simple assault, and 90 days',
    identity: identity('overstay', [misdemeanor('1313', { literal: 'SIMPLE ASSAULT', sentenceDays: 30 })]),
    expected: ['review', 'I-247', 'review', 'I-247A'],
  },
  {
    name: 'an overstay with a misdemeanor theft and 120 days in custody',
    cite: '§2 PEP: "P2 (b) a significant misdemeanor (... or ≥90 days custody)"',
    identity: identity('overstay', [misdemeanor('2399', { maxSentenceDays: 180, sentenceDays: 120 })]),
    expected: ['review', 'review', 'I-247N', 'I-247A'],
  },
  {
    name: 'an overstay with a misdemeanor burglary',
    cite: '§2 PEP: "P2 (b) a significant misdemeanor (DV, sexual abuse, burglary, ...)"; 2012 does not list burglary',
    identity: identity('overstay', [misdemeanor('2299', { literal: 'BURGLARY OF A VEHICLE' })]),
    expected: ['review', 'review', 'I-247N', 'I-247A'],
  },
  {
    name: 'an overstay with a misdemeanor hit and run',
    cite: '§2 2012: "misdemeanor involving ... hit-and-run"',
    identity: identity('overstay', [misdemeanor('5401', { literal: 'HIT AND RUN' })]),
    expected: ['review', 'I-247', 'review', 'I-247A'],
  },
  {
    name: 'an overstay with a misdemeanor weapons offense',
    cite: '§2 NCIC mapping: the 2009 slide lists weapons among the L1 categories; 2012: "firearm"',
    identity: identity('overstay', [misdemeanor('5212', { literal: 'CARRYING A WEAPON' })]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
    also: { 'sc-2011': (r) => expect(detainer(r).level).toBe('L1') },
  },
  {
    name: 'an overstay with a misdemeanor cruelty toward a spouse',
    cite: '§2 NCIC mapping: the slide lists "cruelty toward child/wife" as L1; 2012: "violence"; PEP 2(b): "DV"',
    identity: identity('overstay', [misdemeanor('3802', { literal: 'CRUELTY TOWARD WIFE' })]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
  },
  {
    name: 'an overstay with a felony drug sale, 400 days imposed',
    cite: '§2 NCIC mapping: "drugs (sentence >1 yr)" are L1; PEP "P1 (e) aggravated felony"',
    identity: identity('overstay', [felony({ ncicCode: '3532', literal: 'SELL COCAINE', sentenceDays: 400 })]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
    also: { 'sc-2011': (r) => expect(detainer(r).level).toBe('L1') },
  },
  {
    name: 'an entrant without inspection convicted of illegal entry',
    cite: '§2 2012: "8 USC 1325 conviction"',
    identity: identity('ewi', [misdemeanor('0399', { literal: 'ILLEGAL ENTRY' })]),
    expected: ['review', 'I-247', 'review', 'I-247A'],
  },
  {
    name: 'an overstay convicted of a misdemeanor fraud',
    cite: '§2 2012: "immigration fraud"; EO 13768 priorities include fraud (approximated by a fraud conviction)',
    identity: identity('overstay', [misdemeanor('2699', { literal: 'FRAUD' })]),
    expected: ['review', 'I-247', 'review', 'I-247A'],
  },
  // --- lawful statuses made removable by a conviction
  {
    name: 'a lawful permanent resident with three misdemeanor thefts (Level 2)',
    cite: '§2 Levels: "L2: ... ≥3 offenses punishable by <1 yr"; PEP "P2 (a) ≥3 misdemeanors"',
    identity: identity('lpr', [larceny(), larceny(), larceny()]),
    expected: ['I-247', 'review', 'review', 'I-247A'],
    also: {
      'pep-2014': (r) =>
        expect(review(r)).toMatchObject({ positiveFactors: ['long-time-lpr'], negativeFactors: ['lengthy-record'] }),
    },
  },
  {
    name: 'a person with humanitarian or deferred status and a felony burglary (Level 2)',
    cite: '§2 Levels: "L2: 1 offense punishable by >1 yr"; Suggested rules: "Removable + meets the priority of its era → DETAINER"',
    identity: identity('humanitarian-deferred', [felony()]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
  },
  // --- pending charges
  {
    name: 'an entrant without inspection with a pending felony charge only',
    cite: '§2 2012: "felony conviction or charge"; EO 13768: "pending charge"; PEP acts on convictions only',
    identity: identity('ewi'),
    charges: [pendingCharge('2299', 'felony')],
    expected: ['review', 'I-247', 'review', 'I-247A'],
  },
  {
    name: 'an entrant without inspection with a pending misdemeanor theft charge',
    cite: '§2 EO 13768: "priorities (a)-(g) cover any conviction, pending charge"',
    identity: identity('ewi'),
    charges: [pendingCharge('2399', 'misdemeanor')],
    expected: ['review', 'review', 'review', 'I-247A'],
  },
  {
    name: 'an overstay with a pending DUI charge',
    cite: '§2 2012: "misdemeanor involving ... DUI" (the guidance covers a pending charge too)',
    identity: identity('overstay'),
    charges: [pendingCharge('5404', 'misdemeanor')],
    expected: ['review', 'I-247', 'review', 'I-247A'],
  },
  // --- removal orders and reentry
  {
    name: 'a person under a final order of removal, no convictions',
    cite: '§2 2012: "outstanding removal order"; PEP: "I-247D only with a final order"; §3 I-247 basis "removal order"',
    identity: identity('final-order', [], [finalOrder]),
    expected: ['I-247', 'I-247', 'review', 'I-247A'],
    also: {
      'sc-2011': (r) => expect(detainer(r).basis).toContain('removal-order'),
      'eo-2017': (r) => expect(detainer(r).basis).toEqual(expect.arrayContaining(['pc-final-order', 'warrant-I-205'])),
    },
  },
  {
    name: 'a person previously removed and back, under a reinstated order',
    cite: '§2 2012: "reentry after removal"; PEP 1(a),(c)-(e), 2(a)-(b) do not include reentry alone',
    identity: identity('previously-removed', [], [{ date: '2009-05-01', type: 'reinstated' }]),
    expected: ['I-247', 'I-247', 'review', 'I-247A'],
    also: {
      'detainer-2012': (r) => expect(detainer(r).basis).toContain('reentry'),
      'pep-2014': (r) => expect(review(r).negativeFactors).toEqual(['reentry-after-removal']),
    },
  },
  {
    name: 'a person with a felony and a final order of removal',
    cite: '§2 PEP: "The default is I-247N; I-247D only with a final order or other probable cause"',
    identity: identity('final-order', [felony()], [finalOrder]),
    expected: ['I-247', 'I-247', 'I-247D', 'I-247A'],
    also: {
      'pep-2014': (r) =>
        expect(detainer(r)).toMatchObject({
          hold: { requested: true, limitHours: 48 },
          basis: expect.arrayContaining(['1B-final-order', '1A-priority-1d']),
        }),
    },
  },
  {
    name: 'an entrant without inspection first encountered in 2015, no convictions',
    cite: '§2 PEP: "P2 ... (c) entered after 1/1/2014"; "PEP acts only on 1(a), (c)-(e) and 2(a)-(b)"',
    identity: {
      ...identity('ewi'),
      immigration: {
        status: 'ewi',
        encounters: [{ date: '2015-03-01', place: 'TUCSON', type: 'border-apprehension' }],
        removalOrders: [],
      },
    },
    expected: ['review', 'review', 'review', 'I-247A'],
    also: { 'sc-2011': (r) => expect(review(r)).toMatchObject({ priority: 'low', level: null }) },
  },
  {
    name: 'a person in removal proceedings with a felony',
    cite: '§3 I-247D: "§1B probable-cause basis (final order; pending proceedings; biometric + database check ...)"',
    identity: identity('proceedings-pending', [felony()]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
    also: {
      'sc-2011': (r) => expect(detainer(r).basis).toContain('notice-to-appear'),
      'eo-2017': (r) =>
        expect(detainer(r).basis).toEqual(
          expect.arrayContaining(['pc-pending-proceedings', 'pc-biometric-database', 'warrant-I-200']),
        ),
    },
  },
  // --- forms, holds and languages
  {
    name: 'a detainer under sc-2011 booked on a Friday',
    cite: '§3 Pre-12/2011 I-247: hold "NOT TO EXCEED 48 HOURS" excluding weekends and holidays (8 CFR 287.7(d))',
    identity: identity('overstay', [felony()]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
    also: {
      'sc-2011': (r) =>
        // Wednesday 09:30 CDT + 48 h of weekdays: Friday 09:30 CDT.
        expect(detainer(r).hold).toMatchObject({
          excludesWeekendsAndHolidays: true,
          deadline: '2011-06-10T14:30:00.000Z',
        }),
      'eo-2017': (r) =>
        expect(detainer(r).hold).toMatchObject({
          excludesWeekendsAndHolidays: false,
          deadline: '2018-06-15T14:30:00.000Z',
        }),
    },
  },
  {
    name: 'the served copy of the 12/12 I-247',
    cite: '§3 I-247 (12/11): "notice in English plus Spanish, French, Portuguese, Chinese and Vietnamese"',
    identity: identity('overstay', [felony()]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
    also: {
      'detainer-2012': (r) =>
        expect(detainer(r)).toMatchObject({
          form: { version: '2012-12' },
          languages: ['en', 'es', 'fr', 'pt', 'zh', 'vi'],
        }),
    },
  },
  {
    name: 'a sexual assault conviction',
    cite: '§2 NCIC mapping: the slide lists "sexual assault" as L1; Levels: "L1 ... rape"',
    identity: identity('ewi', [felony({ ncicCode: '1199', literal: 'SEXUAL ASSAULT' })]),
    expected: ['I-247', 'I-247', 'I-247N', 'I-247A'],
  },
  {
    name: 'a robbery conviction of a lawful permanent resident',
    cite: '§2 Levels: L1 "violent crimes such as murder, manslaughter, rape, robbery and kidnapping"',
    identity: identity('lpr', [felony({ ncicCode: '1299', literal: 'ROBBERY' })]),
    expected: ['I-247', 'review', 'review', 'I-247A'],
    also: { 'sc-2011': (r) => expect(detainer(r).level).toBe('L1') },
  },
  {
    name: 'an overstay with a traffic misdemeanor',
    cite: '§2 NCIC mapping: "L3: 03xx, 54xx, public order"',
    identity: identity('overstay', [
      misdemeanor('5499', { literal: 'TRAFFIC OFFENSE', maxSentenceDays: 30, sentenceDays: 0 }),
    ]),
    expected: ['review', 'review', 'review', 'I-247A'],
    also: { 'detainer-2012': (r) => expect(review(r)).toMatchObject({ level: 'L3', priority: 'normal' }) },
  },
  {
    name: 'a charged-only offense does not count toward a level',
    cite: '§2 Levels: convictions (10072.1); "Early SC counted people charged or convicted" (the project counts convictions)',
    identity: identity('overstay'),
    charges: [pendingCharge('0999', 'felony')],
    expected: ['review', 'I-247', 'review', 'I-247A'],
    also: { 'sc-2011': (r) => expect(review(r).level).toBeNull() },
  },
  // --- prosecutorial discretion (memo 10075.1)
  {
    name: 'a long-time permanent resident with a felony, booked after the June 2011 memo',
    cite: '§2 PD memo 10075.1 (6/17/2011): "Positive (particular care): ... long-time LPRs"',
    identity: identity('lpr', [felony()]),
    bookedAt: { 'sc-2011': '2011-08-10T09:30:00-05:00' },
    expected: ['review', 'review', 'review', 'I-247A'],
    also: { 'sc-2011': (r) => expect(review(r).positiveFactors).toEqual(['long-time-lpr']) },
  },
  {
    name: 'an undetermined status with three convictions',
    cite: '§2 PD memo 10075.1: "Negative: ... serious felons, repeat offenders, lengthy records"',
    identity: identity('undetermined', [larceny(), larceny(), felony()]),
    bookedAt: { 'sc-2011': '2011-08-10T09:30:00-05:00' },
    expected: ['review', 'review', 'review', 'review'],
    also: {
      'sc-2011': (r) => expect(review(r).negativeFactors).toEqual(['lengthy-record']),
      'eo-2017': (r) => expect(review(r).negativeFactors).toEqual([]),
    },
  },
];

function decideUnder(era: Era, c: CitedCase): OutcomeRecord {
  const match = matchResult({
    outcome: c.outcome ?? 'match',
    identity: c.identity,
    booking: { bookedAt: c.bookedAt?.[era] ?? BOOKED_AT[era], charges: c.charges ?? [NEUTRAL_CHARGE] },
  });
  return decide(match, getPolicy(era), { now: NOW });
}

function short(record: OutcomeRecord): Expected {
  switch (record.type) {
    case 'detainer':
      return record.form.id;
    case 'discretion-review':
      return 'review';
    case 'biometric-verification':
      return 'verification';
    case 'no-action':
      return 'no-action';
  }
}

it('covers at least 40 cited cases', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  for (const c of CASES) expect(c.cite).toMatch(/^§\d/);
});

describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it.each(ERAS.map((era, i) => [era, c.expected[i]!] as const))(`under %s: %s (${c.cite})`, (era, expected) => {
    const record = decideUnder(era, c);
    expect(short(record)).toBe(expected);
    expect(record.policy.id).toBe(era);
    c.also?.[era]?.(record);
  });
});

describe('a pinned policy deciding a booking older than its forms', () => {
  it('uses the policy’s first forms with their conditions (PEP: I-247N without a final order)', () => {
    // Prepare: a 2011 booking re-decided under pep-2014 (sc-pipeline review).
    const match = matchResult({
      identity: identity('overstay', [felony()]),
      booking: { bookedAt: BOOKED_AT['sc-2011'], charges: [NEUTRAL_CHARGE] },
    });
    const withOrder = matchResult({
      identity: identity('final-order', [felony()], [finalOrder]),
      booking: { bookedAt: BOOKED_AT['sc-2011'], charges: [NEUTRAL_CHARGE] },
    });

    // Act
    const notification = detainer(decide(match, getPolicy('pep-2014'), { now: NOW }));
    const detention = detainer(decide(withOrder, getPolicy('pep-2014'), { now: NOW }));

    // Assess
    expect(notification.form).toEqual({ id: 'I-247N', version: '2015-06' });
    expect(notification.hold.requested).toBe(false);
    expect(detention.form).toEqual({ id: 'I-247D', version: '2015-06' });
  });
});
