import type { Charge, IdentityRecord, ImmigrationStatus } from '#core/schemas';
import { isAggravatedFelony, type CountedOffense } from './offense-level';
import { classifyOffense } from './offense-codes';
import type { Condition, LevelKey, OffenseCodeTable } from './policy-schema';

/** The facts of a matched case that policy conditions can test. Nothing identifying. */
export interface CaseFacts {
  status: ImmigrationStatus;
  level: LevelKey;
  hasRemovalOrder: boolean;
  /** Dates of final removal orders (YYYY-MM-DD). */
  finalOrderDates: string[];
  reenteredAfterRemoval: boolean;
  /** Earliest encounter on record (YYYY-MM-DD), or null. */
  firstEncounter: string | null;
  felonyConvictions: number;
  misdemeanorConvictions: number;
  /** Code-table categories of every conviction, and of misdemeanor convictions. */
  convictionCategories: ReadonlySet<string>;
  misdemeanorCategories: ReadonlySet<string>;
  /** Longest sentence imposed for a misdemeanor conviction, days (0 if none or not yet sentenced). */
  longestMisdemeanorSentenceDays: number;
  aggravatedFelony: boolean;
  felonyCharged: boolean;
  chargePending: boolean;
  /** Code-table categories of this booking's pending charges. */
  pendingChargeCategories: ReadonlySet<string>;
  /** The booking's local date (YYYY-MM-DD). */
  bookedOn: string;
}

/**
 * The facts of a case: the identity's record, the offenses the policy counts as convictions
 * (countedOffenses: prior convictions and the booking's charges with a counted disposition), and the
 * booking's pending charges (disposition charged). The offense level comes from the same offenses.
 */
export function caseFacts(
  identity: IdentityRecord,
  booking: { charges: readonly Charge[]; bookedAt: string },
  convictions: readonly CountedOffense[],
  level: LevelKey,
  codeTable: OffenseCodeTable,
): CaseFacts {
  const { charges } = booking;
  const { immigration } = identity;
  const misdemeanors = convictions.filter((c) => c.grade === 'misdemeanor');
  const category = (c: CountedOffense) => classifyOffense(c.ncicCode, codeTable).id;
  const encounterDates = immigration.encounters.map((e) => e.date).sort();
  return {
    status: immigration.status,
    level,
    hasRemovalOrder: immigration.removalOrders.length > 0,
    finalOrderDates: immigration.removalOrders.filter((o) => o.type === 'final').map((o) => o.date),
    reenteredAfterRemoval:
      immigration.status === 'previously-removed' || immigration.removalOrders.some((o) => o.type === 'reinstated'),
    firstEncounter: encounterDates[0] ?? null,
    felonyConvictions: convictions.filter((c) => c.grade === 'felony').length,
    misdemeanorConvictions: misdemeanors.length,
    convictionCategories: new Set(convictions.map(category)),
    misdemeanorCategories: new Set(misdemeanors.map(category)),
    longestMisdemeanorSentenceDays: Math.max(0, ...misdemeanors.map((c) => c.sentenceDays ?? 0)),
    aggravatedFelony: convictions.some((c) => isAggravatedFelony(c, codeTable)),
    felonyCharged: charges.some((c) => c.disposition === 'charged' && c.grade === 'felony'),
    chargePending: charges.some((c) => c.disposition === 'charged'),
    bookedOn: booking.bookedAt.slice(0, 10),
    pendingChargeCategories: new Set(
      charges.filter((c) => c.disposition === 'charged').map((c) => classifyOffense(c.ncicCode, codeTable).id),
    ),
  };
}

const anyIn = (values: ReadonlySet<string>, wanted: readonly string[]) => wanted.some((v) => values.has(v));

/** True when every key of the condition holds; an empty condition always holds. */
export function conditionHolds(condition: Condition, facts: CaseFacts): boolean {
  const c = condition;
  if (c.levelIn && !c.levelIn.includes(facts.level)) return false;
  if (c.statusIn && !c.statusIn.includes(facts.status)) return false;
  if (c.hasRemovalOrder !== undefined && c.hasRemovalOrder !== facts.hasRemovalOrder) return false;
  if (c.finalOrderOnOrAfter !== undefined && !facts.finalOrderDates.some((d) => d >= c.finalOrderOnOrAfter!)) {
    return false;
  }
  if (c.reenteredAfterRemoval !== undefined && c.reenteredAfterRemoval !== facts.reenteredAfterRemoval) return false;
  if (
    c.enteredWithoutInspectionOnOrAfter !== undefined &&
    !(
      facts.status === 'ewi' &&
      (facts.firstEncounter === null || facts.firstEncounter >= c.enteredWithoutInspectionOnOrAfter)
    )
  ) {
    return false;
  }
  if (c.minFelonyConvictions !== undefined && facts.felonyConvictions < c.minFelonyConvictions) return false;
  if (c.minMisdemeanorConvictions !== undefined && facts.misdemeanorConvictions < c.minMisdemeanorConvictions) {
    return false;
  }
  if (c.convictionCategoryIn && !anyIn(facts.convictionCategories, c.convictionCategoryIn)) return false;
  if (c.misdemeanorCategoryIn && !anyIn(facts.misdemeanorCategories, c.misdemeanorCategoryIn)) return false;
  if (
    c.misdemeanorSentenceAtLeastDays !== undefined &&
    facts.longestMisdemeanorSentenceDays < c.misdemeanorSentenceAtLeastDays
  ) {
    return false;
  }
  if (c.aggravatedFelony !== undefined && c.aggravatedFelony !== facts.aggravatedFelony) return false;
  if (c.felonyCharged !== undefined && c.felonyCharged !== facts.felonyCharged) return false;
  if (c.chargePending !== undefined && c.chargePending !== facts.chargePending) return false;
  if (c.pendingChargeCategoryIn && !anyIn(facts.pendingChargeCategories, c.pendingChargeCategoryIn)) return false;
  const convictions = facts.felonyConvictions + facts.misdemeanorConvictions;
  if (c.convicted !== undefined && c.convicted !== convictions > 0) return false;
  if (c.minConvictions !== undefined && convictions < c.minConvictions) return false;
  if (c.bookedOnOrAfter !== undefined && facts.bookedOn < c.bookedOnOrAfter) return false;
  if (
    c.lawfulPermanentResidentForYears !== undefined &&
    !(
      facts.status === 'lpr' &&
      facts.firstEncounter !== null &&
      yearsBetween(facts.firstEncounter, facts.bookedOn) >= c.lawfulPermanentResidentForYears
    )
  ) {
    return false;
  }
  return true;
}

/** Whole years from one date (YYYY-MM-DD) to a later one. */
function yearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}
