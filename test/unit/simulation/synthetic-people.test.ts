import { describe, expect, it } from 'vitest';
import { decide } from '#core/policy/decide';
import { offenseLevel } from '#core/policy/offense-level';
import { getPolicy } from '#core/policy/registry';
import { createRng } from '#simulation/random';
import {
  BookingSubjectSchema,
  ChargeSchema,
  IdentityBiographicsSchema,
  IdentityRecordSchema,
  ImmigrationStatusSchema,
  OriSchema,
  type OutcomeRecord,
} from '#core/schemas';
import {
  CONVICTED_CHARGE_SHARE,
  CRIMINAL_HISTORY_SHARES,
  GALLERY_STATUS_SHARES,
  SYNTHETIC_JAIL_ORIS,
  type CriminalHistoryClass,
} from '#simulation/people-tables';
import {
  generateBookingDetails,
  generateConvictions,
  generateIdentityPerson,
  generateOri,
} from '#simulation/synthetic-people';
import { generatedMatch, NOW } from '#test/unit/functions/core/policy/fixtures';

const PEOPLE = 2_000;
const rng = createRng(42);
const people = Array.from({ length: PEOPLE }, (_, index) => generateIdentityPerson(rng, index));

function shares<T extends string>(values: readonly T[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).map(([key, count]) => [key, count / values.length]));
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((total, value) => total + value, 0);

describe('generateIdentityPerson', () => {
  it('is deterministic in (seed, index) and independent of call order', () => {
    // Act
    const again = generateIdentityPerson(createRng(42), 1234);
    // Assess
    expect(again).toEqual(people[1234]);
  });

  it('gives every index its own FIN', () => {
    // Act
    const ids = new Set(people.map((person) => person.record.subjectId));
    // Assess
    expect(ids.size).toBe(PEOPLE);
    expect(people[7]?.record.subjectId).toBe('FIN1000000007');
  });

  it('rejects an index without a 10-digit FIN', () => {
    // Act / Assess
    expect(() => generateIdentityPerson(rng, -1)).toThrow(RangeError);
    expect(() => generateIdentityPerson(rng, 9_000_000_000)).toThrow(RangeError);
  });

  it('gives schema-valid records and biographics', () => {
    // Act / Assess
    for (const person of people) {
      expect(() => IdentityRecordSchema.parse(person.record)).not.toThrow();
      expect(() => IdentityBiographicsSchema.parse(person.biographics)).not.toThrow();
    }
  });

  it('gives removal orders exactly to final orders and previous removals', () => {
    // Act / Assess
    for (const { record } of people) {
      const { status, removalOrders, encounters } = record.immigration;
      const ordered = status === 'final-order' || status === 'previously-removed';
      expect(removalOrders.length > 0).toBe(ordered);
      expect(encounters.some((encounter) => encounter.type === 'removal')).toBe(status === 'previously-removed');
      expect(encounters.length).toBeGreaterThan(0);
      expect(encounters.map((encounter) => encounter.date)).toEqual(encounters.map((e) => e.date).sort());
    }
  });

  it('gives an A-number to statuses that always have an A-file', () => {
    // Prepare
    const alwaysFiled = ['lpr', 'final-order', 'previously-removed', 'proceedings-pending', 'humanitarian-deferred'];
    // Act
    const filed = people.filter(({ record }) => alwaysFiled.includes(record.immigration.status));
    // Assess
    expect(filed.every(({ record }) => record.immigration.aNumber !== undefined)).toBe(true);
  });

  it('dates convictions in adulthood, before the first Secure Communities deployments', () => {
    // Act / Assess
    for (const { record, biographics } of people) {
      for (const conviction of record.criminalHistory.convictions) {
        expect(conviction.date < '2008-10-01').toBe(true);
        expect(
          Number(conviction.date.slice(0, 4)) - Number(biographics.dateOfBirth.slice(0, 4)),
        ).toBeGreaterThanOrEqual(18);
      }
    }
  });

  it('draws statuses and offense levels in the configured shares', () => {
    // Act
    const statuses = shares(people.map(({ record }) => record.immigration.status));
    const levels = shares(people.map(({ record }) => offenseLevel(record.criminalHistory.convictions) ?? 'none'));
    // Assess
    expect(sum(GALLERY_STATUS_SHARES)).toBeCloseTo(1, 9);
    expect(sum(CRIMINAL_HISTORY_SHARES)).toBeCloseTo(1, 9);
    for (const status of ImmigrationStatusSchema.options) {
      expect(Math.abs((statuses[status] ?? 0) - GALLERY_STATUS_SHARES[status])).toBeLessThan(0.025);
    }
    for (const [level, share] of Object.entries(CRIMINAL_HISTORY_SHARES)) {
      expect(Math.abs((levels[level] ?? 0) - share)).toBeLessThan(0.03);
    }
  });
});

describe('generateConvictions', () => {
  describe.each<[CriminalHistoryClass]>([['none'], ['L3'], ['L2'], ['L1']])('class %s', (historyClass) => {
    it('amounts to exactly that offense level', () => {
      // Prepare
      const classRng = createRng(7).fork(historyClass);
      // Act
      const levels = new Set(
        Array.from({ length: 500 }, () =>
          offenseLevel(generateConvictions(classRng, historyClass, { dateOfBirth: '1975-04-02' })),
        ),
      );
      // Assess
      expect(levels).toEqual(new Set([historyClass === 'none' ? null : historyClass]));
    });
  });
});

describe('generateBookingDetails', () => {
  const bookedAt = new Date('2011-05-02T08:00:00Z');
  const fresh = Array.from({ length: PEOPLE }, (_, i) => generateBookingDetails(rng.fork(`fresh:${i}`), { bookedAt }));

  it('books the gallery person when one is given', () => {
    // Prepare
    const person = people[3]!.biographics;
    // Act
    const { subject } = generateBookingDetails(createRng(1), { person, bookedAt });
    // Assess
    expect(subject).toMatchObject({
      name: person.name,
      dateOfBirth: person.dateOfBirth,
      sex: person.sex,
      placeOfBirth: person.placeOfBirth,
    });
  });

  it('gives schema-valid adult arrestees and 1-3 charges', () => {
    // Act / Assess
    for (const { subject, charges } of fresh) {
      expect(() => BookingSubjectSchema.parse(subject)).not.toThrow();
      for (const charge of charges) expect(() => ChargeSchema.parse(charge)).not.toThrow();
      expect(charges.length).toBeGreaterThanOrEqual(1);
      expect(charges.length).toBeLessThanOrEqual(3);
      expect(subject.dateOfBirth <= '1993-05-02').toBe(true);
    }
  });

  it('mostly claims US citizenship and mostly has charges not yet decided', () => {
    // Act
    const claims = shares(fresh.map(({ subject }) => subject.claimedCitizenship));
    const dispositions = shares(fresh.flatMap(({ charges }) => charges.map((charge) => charge.disposition)));
    // Assess
    expect(claims.US).toBeGreaterThan(0.85);
    expect(Math.abs((dispositions.convicted ?? 0) - CONVICTED_CHARGE_SHARE)).toBeLessThan(0.02);
  });
});

describe('generateOri', () => {
  it('draws valid ORIs from the synthetic jails', () => {
    // Act
    const oris = Array.from({ length: 500 }, () => generateOri(rng));
    // Assess
    for (const ori of oris) {
      expect(() => OriSchema.parse(ori)).not.toThrow();
      expect(Object.keys(SYNTHETIC_JAIL_ORIS)).toContain(ori);
    }
    expect(new Set(oris).size).toBeGreaterThan(10);
  });
});

describe('decisions on generated matched bookings under sc-2011', () => {
  it('come out near docs/domain.md §5: detainer ~20-30%, discretion review ~35-50%, no action the rest', () => {
    // Prepare
    const policy = getPolicy('sc-2011');
    // Act
    const types = people.map(
      ({ record }, index): OutcomeRecord['type'] =>
        decide(generatedMatch(rng.fork(`booking:${index}`), record, index), policy, { now: NOW }).type,
    );
    const decided = shares(types);
    // Assess
    expect(decided.detainer).toBeGreaterThan(0.2);
    expect(decided.detainer).toBeLessThan(0.3);
    expect(decided['discretion-review']).toBeGreaterThan(0.38);
    expect(decided['discretion-review']).toBeLessThan(0.55);
    expect(decided['no-action']).toBeGreaterThan(0.2);
    expect(decided['no-action']).toBeLessThan(0.38);
    expect(decided['biometric-verification']).toBeUndefined();
  });
});
