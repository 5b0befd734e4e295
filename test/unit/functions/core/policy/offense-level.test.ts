import { describe, expect, it } from 'vitest';
import { classifyOffense, loadOffenseCodeTable, NCIC_OFFENSE_CODES } from '#core/policy/offense-codes';
import {
  countedOffenses,
  isAggravatedFelony,
  MORTON_10072_1_LEVELS,
  offenseLevel,
  type CountedOffense,
} from '#core/policy/offense-level';
import type { LevelRules } from '#core/policy/policy-schema';
import type { OffenseLevel } from '#core/schemas';
import { charge, conviction, felony, identity } from './fixtures';

const misdemeanor = conviction;

describe('offenseLevel (Morton memo 10072.1, docs/domain.md §2)', () => {
  describe.each<[string, CountedOffense[], OffenseLevel | null]>([
    // 10072.1: levels are defined on convictions; none means no level.
    ['no conviction', [], null],
    // L3: "an offense punishable by less than one year".
    ['one misdemeanor of 180 days (DUI, 5404)', [misdemeanor()], 'L3'],
    // Project reading (sc-2011.json levels._note): "up to one year" is not "more than one year".
    [
      'one misdemeanor punishable by exactly 365 days (simple assault, 1313)',
      [misdemeanor({ ncicCode: '1313', maxSentenceDays: 365 })],
      'L3',
    ],
    // L3: a fine-only offense is still an offense punishable by less than one year.
    [
      'one fine-only offense (public intoxication, 4299)',
      [misdemeanor({ ncicCode: '4299', maxSentenceDays: 0, sentenceDays: 0 })],
      'L3',
    ],
    // L3 until the third: L2 needs ">= 3 offenses punishable by < 1 yr".
    ['two misdemeanors', [misdemeanor(), misdemeanor({ ncicCode: '2399' })], 'L3'],
    // L2: ">= 3 offenses punishable by < 1 yr".
    ['three misdemeanors', [misdemeanor(), misdemeanor({ ncicCode: '2399' }), misdemeanor({ ncicCode: '5499' })], 'L2'],
    // L2: "1 offense punishable by > 1 yr" (burglary is not in the 2009 slide's L1 categories).
    ['one non-aggravated felony (burglary, 2299)', [felony()], 'L2'],
    // L2 boundary: 366 days is more than one year.
    ['one offense punishable by 366 days (fraud, 2699)', [felony({ ncicCode: '2699', maxSentenceDays: 366 })], 'L2'],
    // L2: one felony and two misdemeanors meet neither L1 threshold.
    ['one felony and two misdemeanors', [felony(), misdemeanor(), misdemeanor()], 'L2'],
    // L1: ">= 2 offenses punishable by > 1 yr".
    ['two non-aggravated felonies', [felony(), felony({ ncicCode: '2399', maxSentenceDays: 730 })], 'L1'],
    // L1 categories of the 2009 ICE slide (homicide, kidnapping, sexual assault, robbery,
    // aggravated assault, sex offense, weapons), each alone.
    ['homicide (0999)', [felony({ ncicCode: '0999' })], 'L1'],
    ['kidnapping (1099)', [felony({ ncicCode: '1099' })], 'L1'],
    ['sexual assault (1199)', [felony({ ncicCode: '1199' })], 'L1'],
    ['robbery (1299)', [felony({ ncicCode: '1299' })], 'L1'],
    ['aggravated assault (1301)', [felony({ ncicCode: '1301' })], 'L1'],
    ['sex offense (3699)', [felony({ ncicCode: '3699' })], 'L1'],
    ['cruelty toward a child (3802)', [felony({ ncicCode: '3802' })], 'L1'],
    // The slide lists weapons without a sentence condition: even a misdemeanor weapons conviction.
    ['weapons misdemeanor (5202)', [misdemeanor({ ncicCode: '5202', maxSentenceDays: 365 })], 'L1'],
    // The slide: drugs only with a sentence over one year.
    ['drug delivery, sentenced to 400 days (3599)', [felony({ ncicCode: '3599', sentenceDays: 400 })], 'L1'],
    [
      'drug possession felony, sentenced to 365 days (3599)',
      [felony({ ncicCode: '3599', maxSentenceDays: 730, sentenceDays: 365 })],
      'L2',
    ],
    ['marijuana possession misdemeanor (3562)', [misdemeanor({ ncicCode: '3562', sentenceDays: 30 })], 'L3'],
    // A drug conviction on the current booking has no sentence imposed yet: not aggravated.
    ['drug felony with no sentence imposed', [{ ncicCode: '3599', maxSentenceDays: 7300, sentenceDays: null }], 'L2'],
    // Simple assault is split out of the 13xx aggravated-assault class.
    ['simple assault (1313) as a misdemeanor', [misdemeanor({ ncicCode: '1313' })], 'L3'],
    // A code the table does not know is never aggravated; it counts by its maximum sentence.
    ['unclassified code punishable by two years (9999)', [felony({ ncicCode: '9999', maxSentenceDays: 730 })], 'L2'],
  ])('%s', (_name, convictions, expected) => {
    it(`is ${expected ?? 'no level'}`, () => {
      // Prepare: the table rows.
      // Act
      const level = offenseLevel(convictions);
      // Assess
      expect(level).toBe(expected);
    });
  });

  it('reads its thresholds from the rules it is given', () => {
    // Prepare: a stricter era where two misdemeanors already make L2.
    const rules: LevelRules = {
      ...MORTON_10072_1_LEVELS,
      rules: { ...MORTON_10072_1_LEVELS.rules, L2: { minOffensesOverOneYear: 1, minOffensesOneYearOrLess: 2 } },
    };
    // Act
    const level = offenseLevel([misdemeanor(), misdemeanor()], NCIC_OFFENSE_CODES, rules);
    // Assess
    expect(level).toBe('L2');
  });
});

describe('countedOffenses', () => {
  it('counts prior convictions and convicted booking charges, not charged-only ones (sc-2011 choice)', () => {
    // Prepare
    const record = identity('ewi', [misdemeanor()]);
    const charges = [
      charge({ ncicCode: '2299', grade: 'felony', maxSentenceDays: 7300, disposition: 'charged' }),
      charge({ ncicCode: '2399', grade: 'felony', maxSentenceDays: 730, disposition: 'convicted' }),
    ];
    // Act
    const offenses = countedOffenses(record, charges, MORTON_10072_1_LEVELS);
    // Assess
    expect(offenses).toEqual([
      misdemeanor(),
      { ncicCode: '2399', grade: 'felony', maxSentenceDays: 730, sentenceDays: null },
    ]);
    expect(offenseLevel(offenses)).toBe('L2');
  });

  it('counts charged offenses too under a policy that says so (early SC counted the charged)', () => {
    // Prepare
    const charges = [charge({ ncicCode: '1299', grade: 'felony', maxSentenceDays: 7300, disposition: 'charged' })];
    // Act
    const offenses = countedOffenses(null, charges, { bookingDispositionsCounted: ['charged', 'convicted'] });
    // Assess
    expect(offenseLevel(offenses)).toBe('L1');
  });
});

describe('NCIC offense code table', () => {
  describe.each([
    ['1313', 'simple-assault'],
    ['1301', 'assault'],
    ['5404', 'dui'],
    ['5403', 'dui'],
    ['5499', 'traffic'],
    ['2299', 'burglary'],
    ['0399', 'immigration'],
    ['9999', 'unclassified'],
  ])('code %s', (code, category) => {
    it(`is in category ${category} (4-digit entries before their 2-digit prefix)`, () => {
      // Act
      const found = classifyOffense(code);
      // Assess
      expect(found.id).toBe(category);
    });
  });

  it('applies the drug sentence rule only to the sentence imposed', () => {
    // Prepare
    const drug = { ncicCode: '3530', maxSentenceDays: 7300 };
    // Act / Assess
    expect(isAggravatedFelony({ ...drug, sentenceDays: 366 })).toBe(true);
    expect(isAggravatedFelony({ ...drug, sentenceDays: 365 })).toBe(false);
    expect(isAggravatedFelony(drug)).toBe(false);
  });

  it('rejects a table that maps one prefix twice', () => {
    // Prepare
    const table = {
      id: 'bad',
      version: '0',
      categories: [
        { id: 'a', label: 'A', prefixes: ['13'], aggravatedFelony: true },
        { id: 'b', label: 'B', prefixes: ['13'], aggravatedFelony: false },
      ],
    };
    // Act / Assess
    expect(() => loadOffenseCodeTable(table)).toThrow(/prefix 13 is already mapped to a/);
  });
});
