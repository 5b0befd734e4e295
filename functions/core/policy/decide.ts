import type {
  BiometricVerificationRecord,
  DetainerRecord,
  DiscretionReviewRecord,
  MatchResult,
  NoActionRecord,
  OffenseLevel,
  OutcomeRecord,
  RuleFired,
} from '#core/schemas';
import { OutcomeRecordSchema } from '#core/schemas/records';
import { inputHash } from '#core/records/input-hash';
import { caseFacts, conditionHolds, type CaseFacts } from './conditions';
import { FEDERAL_HOLIDAYS } from './federal-holidays';
import { holdDeadline, utcOffsetMinutesOf, type HolidayCalendar } from './hold-deadline';
import { countedOffenses, offenseLevel } from './offense-level';
import { NCIC_OFFENSE_CODES } from './offense-codes';
import {
  STATUS_GROUPS,
  type Criterion,
  type DetainerForm,
  type LevelKey,
  type OffenseCodeTable,
  type Policy,
  type StatusGroup,
} from './policy-schema';

export interface DecideOptions {
  /** The decision time (decidedAt, and the start of a review's due date). Default: the clock. */
  now?: Date;
  /** Default: the NCIC table of ncic-offense-categories.json. */
  codeTable?: OffenseCodeTable;
  /** Holidays excluded from a hold when the policy excludes them; default the federal calendar. */
  isHoliday?: HolidayCalendar;
  /** The record's version: 1 for a first decision, the latest version plus one for a re-decision. */
  version?: number;
}

/** Fields every record carries, set before the rules run. */
type RecordBase = Omit<NoActionRecord, 'type' | 'reason' | 'rulesFired' | 'reasons'>;
/** What the rules decide: the type-specific fields plus the rules fired and the reasons. */
type Decision =
  | Omit<NoActionRecord, keyof RecordBase>
  | Omit<BiometricVerificationRecord, keyof RecordBase>
  | Omit<DiscretionReviewRecord, keyof RecordBase>
  | Omit<DetainerRecord, keyof RecordBase>;

/** Rules fired and reasons, in order. Reasons are sentences without personal data. */
class Trail {
  readonly rulesFired: RuleFired[] = [];
  readonly reasons: string[] = [];

  fire(id: string, description: string, reason?: string): this {
    this.rulesFired.push({ id, description });
    if (reason !== undefined) this.reasons.push(reason);
    return this;
  }
}

/**
 * Turns a match result into an outcome record under a policy. Pure: the same inputs and `now` give
 * the same record. Rules, in order (README, "Decision policies"; the safety rules hold under every
 * policy and are therefore code, the rest comes from the policy data):
 * 1. no match -> no-action;
 * 2. inconclusive -> biometric-verification (safety: never a detainer on an inconclusive match);
 * 3. citizen -> no-action (safety);
 * 4. undetermined status -> discretion-review (safety: never an automatic detainer);
 * 5. lawful status without a removable conviction -> no-action (safety);
 * 6. removable (or lawful with a removable conviction) meeting a detainer criterion -> detainer;
 * 7. otherwise -> discretion-review, prioritized by level.
 * The result is parsed with OutcomeRecordSchema, so it is schema-valid or this throws.
 */
export function decide(match: MatchResult, policy: Policy, options: DecideOptions = {}): OutcomeRecord {
  const now = options.now ?? new Date();
  const base = { ...recordBase(match, policy, now), version: options.version ?? 1 };
  const decision = decideOutcome(match, policy, now, options);
  return OutcomeRecordSchema.parse({ ...base, ...decision });
}

function recordBase(match: MatchResult, policy: Policy, now: Date): RecordBase {
  const { booking, candidates, outcome } = match;
  const best = candidates.reduce<(typeof candidates)[number] | undefined>(
    (top, candidate) => (top === undefined || candidate.score > top.score ? candidate : top),
    undefined,
  );
  const subjectId = outcome === 'no-match' ? null : (match.identity?.subjectId ?? best?.subjectId ?? null);
  return {
    submissionId: booking.submissionId,
    version: 1,
    status: 'active',
    ori: booking.ori,
    bookingNumber: booking.bookingNumber,
    bookedAt: booking.bookedAt,
    decidedAt: now.toISOString(),
    policy: { id: policy.id, version: policy.version },
    match: { outcome, score: best?.score ?? 0, subjectId },
    inputHash: inputHash(match, policy),
  };
}

function decideOutcome(match: MatchResult, policy: Policy, now: Date, options: DecideOptions): Decision {
  const trail = new Trail();

  if (match.outcome === 'no-match') {
    trail.fire(
      'outcome.no-match',
      'The biometric search found no identity in the gallery.',
      'No immigration record matched the booking fingerprints, so no immigration action is taken.',
    );
    return { type: 'no-action', reason: 'no-match', ...trail };
  }

  if (match.outcome === 'inconclusive') {
    const reason =
      'The biometric search was inconclusive: a fingerprint examiner must verify the candidates before any action.';
    trail.fire('outcome.inconclusive', 'The best candidate scored between the inconclusive and match thresholds.');
    trail.fire(
      'safety.inconclusive-match',
      'Never a detainer on an inconclusive biometric match: an examiner verifies the candidates first.',
      reason,
    );
    return {
      type: 'biometric-verification',
      candidates: match.candidates.map(({ subjectId, score }) => ({ subjectId, score })),
      reason,
      ...trail,
    };
  }

  trail.fire('outcome.match', 'The biometric search matched an identity in the gallery.');
  const identity = match.identity;
  const codeTable = options.codeTable ?? NCIC_OFFENSE_CODES;
  const convictions = countedOffenses(identity, match.booking.charges, policy.levels);
  const level = offenseLevel(convictions, codeTable, policy.levels);
  const levelKey: LevelKey = level ?? 'none';

  if (identity === null) {
    // A match without the matched record cannot be decided on status: treated as undetermined.
    trail.fire(
      'safety.missing-identity-record',
      'A match result without the matched immigration record is treated as an undetermined status.',
    );
    return review(policy, level, now, trail, undeterminedReason);
  }

  const facts = caseFacts(identity, match.booking, convictions, levelKey, codeTable);
  const factors = discretionFactors(policy, facts);
  const group = statusGroup(policy, facts.status);

  if (group === 'citizen') {
    trail.fire(
      'safety.citizen',
      'Never a detainer for a United States citizen.',
      'The matched immigration record shows United States citizenship, so no immigration action is taken.',
    );
    return { type: 'no-action', reason: 'citizen', ...trail };
  }

  fireLevel(trail, policy, level);
  for (const factor of [...factors.positive, ...factors.negative]) {
    trail.fire(`discretion.${factor.id}`, factor.description);
  }

  if (group === 'undetermined') {
    trail.fire(
      'safety.undetermined-status',
      'Never an automatic detainer when the immigration status is undetermined: an officer reviews the case.',
    );
    return review(policy, level, now, trail, undeterminedReason, factors);
  }

  if (group === 'lawful') {
    if (!conditionHolds(policy.removableConviction.when, facts)) {
      trail.fire(
        'safety.lawful-status',
        'Never a detainer for a lawful immigration status without a removable conviction.',
        'The matched record shows a lawful immigration status and no removable conviction, so no immigration action is taken.',
      );
      return { type: 'no-action', reason: 'lawful-status', ...trail };
    }
    trail.fire(
      `status.${policy.removableConviction.id}`,
      policy.removableConviction.description,
      'The matched record shows a lawful immigration status, but a conviction makes the subject removable.',
    );
  } else {
    trail.fire(
      'status.removable',
      'The immigration status is subject to removal.',
      'The matched record shows an immigration status subject to removal.',
    );
  }

  const criteria = policy.detainer.criteria.filter((criterion) => conditionHolds(criterion.when, facts));
  if (criteria.length > 0) {
    for (const criterion of criteria) {
      trail.fire(`detainer.${criterion.id}`, criterion.description, `Detainer criterion met: ${criterion.description}`);
    }
    if (factors.positive.length > 0 && policy.discretion?.positiveFactorsPreventDetainer) {
      trail.fire(
        'review.positive-factors',
        'A priority case with positive discretion factors is reviewed by an officer rather than given an automatic detainer.',
      );
      return review(
        policy,
        level,
        now,
        trail,
        'The subject meets an enforcement priority, but positive discretion factors call for an officer to decide whether to act.',
        factors,
      );
    }
    return detainer(match, policy, level, facts, trail, options);
  }

  trail.fire(
    'review.below-priority',
    'Removable but below the enforcement priorities of the policy: an officer decides whether to act.',
  );
  return review(
    policy,
    level,
    now,
    trail,
    'The subject appears removable but meets no enforcement priority of the policy: an officer decides whether to act.',
    factors,
  );
}

const undeterminedReason =
  'The immigration status could not be determined: an officer must review the case before any action.';

function statusGroup(policy: Policy, status: CaseFacts['status']): StatusGroup {
  const group = STATUS_GROUPS.find((candidate) => policy.statuses[candidate].includes(status));
  // The policy schema guarantees every status is in a group; fail safe if it is not.
  return group ?? 'undetermined';
}

function fireLevel(trail: Trail, policy: Policy, level: OffenseLevel | null): void {
  if (level === null) {
    trail.fire('level.none', 'No conviction counts toward an offense level.');
  } else {
    trail.fire(`level.${level}`, `Offense level ${level} under ${policy.levels.standard}.`);
  }
}

interface Factors {
  positive: Criterion[];
  negative: Criterion[];
}

const NO_FACTORS: Factors = { positive: [], negative: [] };

/** The policy's discretion factors that hold for the case (none when the era has none). */
function discretionFactors(policy: Policy, facts: CaseFacts): Factors {
  if (!policy.discretion) return NO_FACTORS;
  return {
    positive: policy.discretion.positive.filter((factor) => conditionHolds(factor.when, facts)),
    negative: policy.discretion.negative.filter((factor) => conditionHolds(factor.when, facts)),
  };
}

function review(
  policy: Policy,
  level: OffenseLevel | null,
  now: Date,
  trail: Trail,
  reason: string,
  factors: Factors = NO_FACTORS,
): Omit<DiscretionReviewRecord, keyof RecordBase> {
  const { priority, dueDays } = policy.review.byLevel[level ?? 'none'];
  trail.reasons.push(reason);
  return {
    type: 'discretion-review',
    level,
    priority,
    positiveFactors: factors.positive.map((factor) => factor.id),
    negativeFactors: factors.negative.map((factor) => factor.id),
    reason,
    reviewDueDate: addDays(now, dueDays),
    ...trail,
  };
}

function detainer(
  match: MatchResult,
  policy: Policy,
  level: OffenseLevel | null,
  facts: CaseFacts,
  trail: Trail,
  options: DecideOptions,
): Omit<DetainerRecord, keyof RecordBase> {
  const { bookedAt, ori } = match.booking;
  const form = formInEffect(policy, bookedAt.slice(0, 10), facts);
  const basis = [
    ...new Set(policy.detainer.basis.filter((box) => conditionHolds(box.when, facts)).map((box) => box.box)),
  ];
  const hold = form.hold ?? policy.detainer.hold;
  const deadline = hold.requested
    ? holdDeadline(new Date(bookedAt), hold.limitHours, hold.excludesWeekendsAndHolidays, {
        utcOffsetMinutes: utcOffsetMinutesOf(bookedAt),
        isHoliday: options.isHoliday ?? FEDERAL_HOLIDAYS,
      }).toISOString()
    : null;
  trail.reasons.push(
    hold.requested
      ? `A detainer is issued on form ${form.id} (${form.version}), requesting a hold of up to ${hold.limitHours} hours` +
          (hold.excludesWeekendsAndHolidays ? ', excluding weekends and holidays.' : '.')
      : `A notification request is issued on form ${form.id} (${form.version}); it asks for no hold.`,
  );
  return {
    type: 'detainer',
    level,
    form: { id: form.id, version: form.version },
    basis,
    hold: {
      requested: hold.requested,
      limitHours: hold.limitHours,
      excludesWeekendsAndHolidays: hold.excludesWeekendsAndHolidays,
      deadline,
    },
    languages: [...form.languages],
    issuingAgency: policy.detainer.issuingAgency,
    receivingAgencyOri: ori,
    ...trail,
  };
}

/**
 * The form used on a date (the booking's local date, so that a re-decision later uses the form of
 * the booking's time): of the forms issued together last on or before it (a new revision, or PEP's
 * I-247D and I-247N, replace everything before them), the first in the policy's list whose condition
 * holds for the case.
 */
export function formInEffect(policy: Policy, date: string, facts?: CaseFacts): DetainerForm {
  const forms = policy.detainer.forms;
  // The forms issued together last on or before the date replace every earlier one. A pinned policy
  // may decide a booking older than its first forms: those first forms are used then.
  const dates = forms.map((form) => form.effectiveFrom).sort();
  const issued = dates.filter((day) => day <= date).at(-1) ?? dates[0];
  const inEffect = forms.filter((form) => form.effectiveFrom === issued);
  const usable = inEffect.find((form) => !form.when || (facts !== undefined && conditionHolds(form.when, facts)));
  return usable ?? inEffect[0] ?? (forms[0] as DetainerForm);
}

/** The UTC calendar date `days` days after `from`, as YYYY-MM-DD. */
function addDays(from: Date, days: number): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
