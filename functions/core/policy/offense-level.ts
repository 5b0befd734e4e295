import type { Charge, Conviction, IdentityRecord, OffenseLevel } from '#core/schemas';
import { classifyOffense, NCIC_OFFENSE_CODES } from './offense-codes';
import type { LevelRules, OffenseCodeTable } from './policy-schema';
import { getPolicy } from './registry';

/**
 * What a level counts of a conviction. A prior conviction (criminal history) has all of it; a
 * conviction on the current booking has no sentence imposed yet (sentenceDays null or absent).
 */
export type CountedOffense = Pick<Conviction, 'ncicCode' | 'maxSentenceDays'> & {
  sentenceDays?: number | null;
  /** Felony or misdemeanor; the levels do not read it, era criteria do (conditions.ts). */
  grade?: Conviction['grade'];
};

/**
 * The level rules of ICE memo 10072.1 (docs/domain.md §2), as written in sc-2011.json: the one place the
 * thresholds live. Later eras that keep the Morton levels reuse them; others carry their own.
 */
export const MORTON_10072_1_LEVELS: LevelRules = getPolicy('sc-2011').levels;

/**
 * The offense level of a set of convictions (docs/domain.md §2, Morton memo 10072.1):
 * - L1: an aggravated felony (a category the code table flags, with its sentence rule: drugs only
 *   with a sentence over one year), or at least 2 offenses punishable by more than one year;
 * - L2: 1 offense punishable by more than one year, or at least 3 offenses punishable by less;
 * - L3: an offense punishable by less than one year;
 * - null: no convictions.
 * "Punishable" is maxSentenceDays compared with rules.oneYearDays; "less than one year" is read as
 * "not more than one year" (see sc-2011.json levels._note). The thresholds come from `rules`.
 */
export function offenseLevel(
  convictions: readonly CountedOffense[],
  codeTable: OffenseCodeTable = NCIC_OFFENSE_CODES,
  rules: LevelRules = MORTON_10072_1_LEVELS,
): OffenseLevel | null {
  if (convictions.length === 0) return null;
  const overOneYear = convictions.filter((c) => c.maxSentenceDays > rules.oneYearDays).length;
  const oneYearOrLess = convictions.length - overOneYear;
  const aggravated = convictions.some((c) => isAggravatedFelony(c, codeTable));

  for (const level of ['L1', 'L2', 'L3'] as const) {
    const threshold = rules.rules[level];
    if (threshold.aggravatedFelony && aggravated) return level;
    if (threshold.minOffensesOverOneYear !== undefined && overOneYear >= threshold.minOffensesOverOneYear) return level;
    if (threshold.minOffensesOneYearOrLess !== undefined && oneYearOrLess >= threshold.minOffensesOneYearOrLess) {
      return level;
    }
  }
  // Only reachable with rules that leave some convictions unclassified; the lowest level is the
  // honest answer for "convicted of something".
  return 'L3';
}

/**
 * Whether a conviction falls in an aggravated-felony category of the code table. A category with a
 * sentence rule (drugs) needs the sentence imposed to be over the limit; a conviction with no
 * sentence imposed yet (one on the current booking) does not meet it, though it still counts by
 * its maximum sentence for the other thresholds.
 */
export function isAggravatedFelony(offense: CountedOffense, codeTable: OffenseCodeTable = NCIC_OFFENSE_CODES): boolean {
  const { aggravatedFelony } = classifyOffense(offense.ncicCode, codeTable);
  if (typeof aggravatedFelony === 'boolean') return aggravatedFelony;
  return offense.sentenceDays !== undefined && offense.sentenceDays !== null
    ? offense.sentenceDays > aggravatedFelony.sentenceOverDays
    : false;
}

/**
 * The offenses a level counts: the identity's prior convictions plus the current booking's charges
 * whose disposition the policy counts. sc-2011 counts only charges with disposition "convicted":
 * a charged-only offense is not a conviction under memo 10072.1. Early Secure Communities counted
 * people "charged or convicted" (docs/domain.md §2), so this is a policy choice, kept in the policy data
 * (levels.bookingDispositionsCounted) rather than here.
 */
export function countedOffenses(
  identity: Pick<IdentityRecord, 'criminalHistory'> | null,
  charges: readonly Charge[],
  rules: Pick<LevelRules, 'bookingDispositionsCounted'>,
): CountedOffense[] {
  const prior: CountedOffense[] = identity?.criminalHistory.convictions ?? [];
  const current: CountedOffense[] = charges
    .filter((charge) => rules.bookingDispositionsCounted.includes(charge.disposition))
    .map((charge) => ({
      ncicCode: charge.ncicCode,
      grade: charge.grade,
      maxSentenceDays: charge.maxSentenceDays,
      sentenceDays: null,
    }));
  return [...prior, ...current];
}
