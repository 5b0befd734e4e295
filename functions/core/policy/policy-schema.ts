import * as z from '#core/zod';
import { ImmigrationStatusSchema } from '#core/schemas/identity';
import { DetainerRecordSchema, DiscretionReviewRecordSchema } from '#core/schemas/records';

/**
 * Schemas of the policy data files (one JSON file per era) and of the NCIC code table. The files are
 * parsed with these when loaded, so a typo in a policy fails at load time with the path of the field,
 * not in the middle of a decision.
 */

/** Free-text annotations allowed on any object of a data file (sources, caveats, unverified items). */
const annotated = { _note: z.optional(z.string()) };

// ---------------------------------------------------------------------------------------------
// NCIC code table
// ---------------------------------------------------------------------------------------------

/** A 2-digit NCIC category prefix ("13") or a full 4-digit code ("1313") that overrides it. */
export const OffenseCodePrefixSchema = z.string().check(z.regex(/^(\d{2}|\d{4})$/, 'must be 2 or 4 digits'));

export const OffenseCategorySchema = z.strictObject({
  ...annotated,
  id: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  label: z.string().check(z.minLength(1)),
  prefixes: z.array(OffenseCodePrefixSchema).check(z.minLength(1)),
  /**
   * Whether a conviction in this category is an "aggravated felony" class for Level 1: always, never,
   * or only when the sentence imposed is over a number of days (drugs: over one year).
   */
  aggravatedFelony: z.union([z.boolean(), z.strictObject({ sentenceOverDays: z.number().check(z.int(), z.gte(0)) })]),
});
export type OffenseCategory = z.infer<typeof OffenseCategorySchema>;

export const OffenseCodeTableSchema = z
  .strictObject({
    ...annotated,
    id: z.string().check(z.minLength(1)),
    version: z.string().check(z.minLength(1)),
    categories: z.array(OffenseCategorySchema).check(z.minLength(1)),
  })
  .check(
    z.superRefine((table, ctx) => {
      const seenPrefixes = new Map<string, string>();
      const seenIds = new Set<string>();
      table.categories.forEach((category, i) => {
        if (seenIds.has(category.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['categories', i, 'id'],
            message: `duplicate category id ${category.id}`,
          });
        }
        seenIds.add(category.id);
        category.prefixes.forEach((prefix, j) => {
          const owner = seenPrefixes.get(prefix);
          if (owner !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['categories', i, 'prefixes', j],
              message: `prefix ${prefix} is already mapped to ${owner}`,
            });
          }
          seenPrefixes.set(prefix, category.id);
        });
      });
    }),
  );
export type OffenseCodeTable = z.infer<typeof OffenseCodeTableSchema>;

// ---------------------------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------------------------

const IsoDateSchema = z.iso.date();

/** An offense level, or "none" for no countable conviction. */
export const LevelKeySchema = z.enum(['L1', 'L2', 'L3', 'none']);
export type LevelKey = z.infer<typeof LevelKeySchema>;

/**
 * A condition on the facts of a case. Every key present must hold (AND); an empty condition always
 * holds. A list of criteria, each with its condition, is an OR. New eras add keys here (e.g. felony
 * charges, misdemeanor categories for detainer-2012 and PEP) and one line each in conditions.ts.
 */
const CategoryIdsSchema = z.array(z.string().check(z.regex(/^[a-z0-9-]+$/))).check(z.minLength(1));

export const ConditionSchema = z.strictObject({
  levelIn: z.optional(z.array(LevelKeySchema).check(z.minLength(1))),
  statusIn: z.optional(z.array(ImmigrationStatusSchema).check(z.minLength(1))),
  /** The identity record lists at least one removal order. */
  hasRemovalOrder: z.optional(z.boolean()),
  /** A final removal order dated on or after this day. */
  finalOrderOnOrAfter: z.optional(IsoDateSchema),
  /** Removed before and back: status previously-removed, or a reinstated removal order. */
  reenteredAfterRemoval: z.optional(z.boolean()),
  /** Status ewi and no encounter on record before this day (entered unlawfully on or after it). */
  enteredWithoutInspectionOnOrAfter: z.optional(IsoDateSchema),
  /** Convictions graded felony (prior, and on this booking when its disposition is convicted). */
  minFelonyConvictions: z.optional(z.number().check(z.int(), z.gte(1))),
  /** Convictions graded misdemeanor. */
  minMisdemeanorConvictions: z.optional(z.number().check(z.int(), z.gte(1))),
  /** A conviction of any grade in one of these code-table categories. */
  convictionCategoryIn: z.optional(CategoryIdsSchema),
  /** A misdemeanor conviction in one of these code-table categories. */
  misdemeanorCategoryIn: z.optional(CategoryIdsSchema),
  /** A misdemeanor conviction with a sentence imposed of at least this many days. */
  misdemeanorSentenceAtLeastDays: z.optional(z.number().check(z.int(), z.gte(1))),
  /** A conviction in an aggravated-felony category of the code table (with its sentence rule). */
  aggravatedFelony: z.optional(z.boolean()),
  /** This booking charges a felony (disposition charged). */
  felonyCharged: z.optional(z.boolean()),
  /** This booking has a charge not yet disposed of (disposition charged). */
  chargePending: z.optional(z.boolean()),
  /** This booking has a pending charge (disposition charged) in one of these code-table categories. */
  pendingChargeCategoryIn: z.optional(CategoryIdsSchema),
  /** Convicted of anything (prior, or on this booking). */
  convicted: z.optional(z.boolean()),
  /** The booking's local date is on or after this day (a memo that took effect inside an era). */
  bookedOnOrAfter: z.optional(IsoDateSchema),
  /** At least this many convictions of any grade. */
  minConvictions: z.optional(z.number().check(z.int(), z.gte(1))),
  /** Status lpr, and the first encounter on record at least this many years before the booking date. */
  lawfulPermanentResidentForYears: z.optional(z.number().check(z.int(), z.gte(1))),
});
export type Condition = z.infer<typeof ConditionSchema>;

/** A named condition: when it holds, a rule with this id fires and its description is recorded. */
export const CriterionSchema = z.strictObject({
  ...annotated,
  id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits or "-"')),
  description: z.string().check(z.minLength(1)),
  when: ConditionSchema,
});
export type Criterion = z.infer<typeof CriterionSchema>;

/** Thresholds of the offense levels; "one year" is oneYearDays (punishable by more than that, or not). */
export const LevelThresholdSchema = z.strictObject({
  /** Any conviction in an aggravated-felony category (with its sentence rule) reaches this level. */
  aggravatedFelony: z.optional(z.boolean()),
  /** At least this many offenses punishable by more than one year. */
  minOffensesOverOneYear: z.optional(z.number().check(z.int(), z.gte(1))),
  /** At least this many offenses punishable by one year or less. */
  minOffensesOneYearOrLess: z.optional(z.number().check(z.int(), z.gte(1))),
});

export const LevelRulesSchema = z.strictObject({
  ...annotated,
  /** The text the thresholds come from. */
  standard: z.string().check(z.minLength(1)),
  oneYearDays: z.number().check(z.int(), z.gte(1)),
  /** Which dispositions of the current booking's charges count as convictions. */
  bookingDispositionsCounted: z.array(z.enum(['charged', 'convicted'])),
  rules: z.strictObject({ L1: LevelThresholdSchema, L2: LevelThresholdSchema, L3: LevelThresholdSchema }),
});
export type LevelRules = z.infer<typeof LevelRulesSchema>;

export const DetainerFormSchema = z.strictObject({
  ...annotated,
  id: DetainerRecordSchema.shape.form.shape.id,
  version: z.string().check(z.minLength(1)),
  /** The revision applies to bookings on or after this date (until the next revision in the list). */
  effectiveFrom: IsoDateSchema,
  /** Languages of the served copy (ISO 639-1). */
  languages: z.array(z.string().check(z.regex(/^[a-z]{2}$/))).check(z.minLength(1)),
  /**
   * When several forms are in use at once (PEP: I-247D or I-247N), the case conditions of this one;
   * the first form in the list whose condition holds is used. Absent: always.
   */
  when: z.optional(z.lazy(() => ConditionSchema)),
  /** The form's own hold request, when it differs from the policy's (I-247N asks for no hold). */
  hold: z.optional(z.lazy(() => HoldSchema)),
});
export type DetainerForm = z.infer<typeof DetainerFormSchema>;

export const HoldSchema = z.strictObject({
  ...annotated,
  requested: z.boolean(),
  limitHours: z.number().check(z.int(), z.gte(0)),
  excludesWeekendsAndHolidays: z.boolean(),
});
export type Hold = z.infer<typeof HoldSchema>;

export const BasisBoxSchema = z.strictObject({
  ...annotated,
  box: z.string().check(z.regex(/^[A-Za-z0-9-]+$/)),
  description: z.string().check(z.minLength(1)),
  when: ConditionSchema,
});

const ReviewPrioritySchema = DiscretionReviewRecordSchema.shape.priority;
const ReviewLevelSchema = z.strictObject({
  priority: ReviewPrioritySchema,
  dueDays: z.number().check(z.int(), z.gte(1)),
});

/** One status may sit in one group only; every status must sit in one. */
export const StatusGroupsSchema = z.strictObject({
  ...annotated,
  citizen: z.array(ImmigrationStatusSchema),
  lawful: z.array(ImmigrationStatusSchema),
  undetermined: z.array(ImmigrationStatusSchema),
  removable: z.array(ImmigrationStatusSchema),
});
export type StatusGroups = z.infer<typeof StatusGroupsSchema>;
export type StatusGroup = Exclude<keyof StatusGroups, '_note'>;
export const STATUS_GROUPS: readonly StatusGroup[] = ['citizen', 'lawful', 'undetermined', 'removable'];

export const PolicySchema = z
  .strictObject({
    ...annotated,
    id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits or "-"')),
    version: z.string().check(z.regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version')),
    title: z.string().check(z.minLength(1)),
    /** Bookings on or after this date (the jail's local date) fall under this policy... */
    effectiveFrom: IsoDateSchema,
    /** ...up to and including this date; null while no later era is defined. */
    effectiveUntil: z.nullable(IsoDateSchema),
    sources: z
      .array(z.strictObject({ id: z.string().check(z.minLength(1)), citation: z.string().check(z.minLength(1)) }))
      .check(z.minLength(1)),
    statuses: StatusGroupsSchema,
    levels: LevelRulesSchema,
    /** A lawful status with a conviction meeting this condition is treated as removable. */
    removableConviction: CriterionSchema,
    detainer: z.strictObject({
      ...annotated,
      /** A removable case meeting any criterion gets a detainer. */
      criteria: z.array(CriterionSchema).check(z.minLength(1)),
      /** Revisions of the form, oldest first; the one in effect on the booking date is used. */
      forms: z.array(DetainerFormSchema).check(z.minLength(1)),
      basis: z.array(BasisBoxSchema).check(z.minLength(1)),
      hold: HoldSchema,
      issuingAgency: z.string().check(z.minLength(1)),
    }),
    /**
     * Prosecutorial-discretion factors (e.g. memo 10075.1): each one found is named on a review record;
     * when positiveFactorsPreventDetainer is set, a case with any positive factor goes to review
     * instead of an automatic detainer. Absent: no factors in this era.
     */
    discretion: z.optional(
      z.strictObject({
        ...annotated,
        positive: z.array(CriterionSchema),
        negative: z.array(CriterionSchema),
        positiveFactorsPreventDetainer: z.boolean(),
      }),
    ),
    review: z.strictObject({
      ...annotated,
      byLevel: z.strictObject({
        L1: ReviewLevelSchema,
        L2: ReviewLevelSchema,
        L3: ReviewLevelSchema,
        none: ReviewLevelSchema,
      }),
    }),
  })
  .check(
    z.superRefine((policy, ctx) => {
      for (const status of ImmigrationStatusSchema.options) {
        const groups = STATUS_GROUPS.filter((group) => policy.statuses[group].includes(status));
        if (groups.length !== 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['statuses'],
            message: `status ${status} must be in exactly one group, found in ${groups.length === 0 ? 'none' : groups.join(', ')}`,
          });
        }
      }
      if (policy.effectiveUntil !== null && policy.effectiveUntil < policy.effectiveFrom) {
        ctx.addIssue({ code: 'custom', path: ['effectiveUntil'], message: 'effectiveUntil is before effectiveFrom' });
      }
      const forms = policy.detainer.forms;
      if (forms[0] && forms[0].effectiveFrom > policy.effectiveFrom) {
        ctx.addIssue({
          code: 'custom',
          path: ['detainer', 'forms', 0, 'effectiveFrom'],
          message: 'the first form must be in effect when the policy takes effect',
        });
      }
      forms.forEach((form, i) => {
        const previous = forms[i - 1];
        if (previous && previous.effectiveFrom > form.effectiveFrom) {
          ctx.addIssue({
            code: 'custom',
            path: ['detainer', 'forms', i, 'effectiveFrom'],
            message: 'forms must be listed oldest first',
          });
        }
      });
      if (!policy.detainer.basis.some((box) => Object.keys(box.when).length === 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['detainer', 'basis'],
          message: 'at least one basis box must apply unconditionally (when: {}), so a detainer never lacks a basis',
        });
      }
    }),
  );
export type Policy = z.infer<typeof PolicySchema>;
