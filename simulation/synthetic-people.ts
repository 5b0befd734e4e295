import type { Rng } from './random';
import type {
  BookingSubject,
  Charge,
  Conviction,
  GalleryIdentity,
  IdentityRecord,
  ImmigrationRecord,
  ImmigrationStatus,
} from '#core/schemas';
import {
  A_NUMBER_SHARE,
  CHARGES_PER_BOOKING,
  CONVICTED_CHARGE_SHARE,
  CRIMINAL_HISTORY_SHARES,
  ENCOUNTER_PLACES,
  FOREIGN_BIRTH_COUNTRIES,
  GALLERY_STATUS_SHARES,
  HISTORY_AS_OF,
  NAMES,
  OFFENSES,
  SYNTHETIC_JAIL_ORIS,
  YEAR,
  type CriminalHistoryClass,
  type NameSet,
  type OffenseKind,
  type OffenseTemplate,
} from './people-tables';

/**
 * Synthetic, deterministic people: the records and biographics of gallery identities, and the
 * arrestee and charges of a booking. No fingerprints here (see synthetic-gallery.ts). Every person
 * is invented: names, offenses and places are drawn from the tables in people-tables.ts, numbers
 * are derived from the index, nothing comes from a real record.
 */

// ---------------------------------------------------------------------------------------------
// Offenses
// ---------------------------------------------------------------------------------------------

function offensesOf(kind: OffenseKind): readonly OffenseTemplate[] {
  return OFFENSES.filter((offense) => offense.kind === kind);
}

function pickOffense(rng: Rng, offenses: readonly OffenseTemplate[]): OffenseTemplate {
  const weights = Object.fromEntries(offenses.map((offense, i) => [String(i), offense.weight]));
  return offenses[Number(rng.weighted(weights))] as OffenseTemplate;
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A day uniformly in [from, to] (both day numbers); `from` if the range is empty. */
function dayBetween(rng: Rng, from: number, to: number): number {
  return to <= from ? from : rng.int(from, to);
}

function yearsBefore(day: number, years: number, rng: Rng): number {
  return day - Math.round(years * 365.25) - rng.int(0, 364);
}

// ---------------------------------------------------------------------------------------------
// Names and encounters
// ---------------------------------------------------------------------------------------------

function nameSetOf(country: string, rng: Rng): NameSet {
  switch (country) {
    case 'CN':
      return 'chinese';
    case 'VN':
      return 'vietnamese';
    case 'IN':
      return 'indian';
    case 'JM':
    case 'HT':
      return 'anglo';
    case 'US':
      return rng.bool(0.3) ? 'hispanic' : 'anglo';
    default:
      return 'hispanic';
  }
}

type EncounterType = keyof typeof ENCOUNTER_PLACES;
type Encounter = ImmigrationRecord['encounters'][number];
type RemovalOrder = ImmigrationRecord['removalOrders'][number];

function encounter(rng: Rng, type: EncounterType, day: number): Encounter {
  return { date: isoDay(day), place: rng.pick(ENCOUNTER_PLACES[type]), type };
}

// ---------------------------------------------------------------------------------------------
// Gallery identities
// ---------------------------------------------------------------------------------------------

export interface SyntheticPerson {
  record: IdentityRecord;
  biographics: GalleryIdentity['biographics'];
}

/** Highest index with a distinct 10-digit FIN. */
const MAX_INDEX = 8_999_999_999;

/**
 * Gallery person number `index`: an IDENT record (FIN derived from the index, an A-number where the
 * status makes one likely, encounters and removal orders consistent with the status, convictions of
 * the drawn criminal-history class) and biographics. Deterministic in (rng's seed, index): the
 * parts draw from their own forks, so changing one part's draws does not shift another.
 */
export function generateIdentityPerson(rng: Rng, index: number): SyntheticPerson {
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_INDEX) {
    throw new RangeError(`generateIdentityPerson: index must be an integer in [0, ${MAX_INDEX}]`);
  }
  const own = rng.fork(`identity:${index}`);
  const status = own.fork('status').weighted(GALLERY_STATUS_SHARES);
  const historyClass = own.fork('history').weighted(CRIMINAL_HISTORY_SHARES);
  const biographics = generateGalleryBiographics(own.fork('biographics'), status);
  const immigration = generateImmigrationRecord(own.fork('immigration'), status, index, biographics);
  const convictions = generateConvictions(own.fork('convictions'), historyClass, {
    dateOfBirth: biographics.dateOfBirth,
  });
  return {
    record: {
      subjectId: `FIN${String(1_000_000_000 + index)}`,
      immigration,
      criminalHistory: { convictions },
    },
    biographics,
  };
}

function generateGalleryBiographics(rng: Rng, status: ImmigrationStatus): SyntheticPerson['biographics'] {
  // Citizens in IDENT are mostly naturalized; a few were born here (derived citizenship, or a
  // record that lists a citizen as foreign-born: the Gonzalez v. ICE failure, docs/domain.md §4).
  const placeOfBirth = status === 'usc' && rng.bool(0.2) ? 'US' : rng.weighted(FOREIGN_BIRTH_COUNTRIES);
  const sex = rng.bool(0.88) ? 'M' : 'F';
  const age = Math.min(70, Math.max(18, Math.round(rng.normal(32, 9))));
  const names = NAMES[nameSetOf(placeOfBirth, rng)];
  return {
    name: { last: rng.pick(names.last), first: rng.pick(sex === 'M' ? names.male : names.female) },
    dateOfBirth: isoDay(yearsBefore(dayNumber(HISTORY_AS_OF), age, rng)),
    sex,
    placeOfBirth,
  };
}

function generateImmigrationRecord(
  rng: Rng,
  status: ImmigrationStatus,
  index: number,
  biographics: SyntheticPerson['biographics'],
): ImmigrationRecord {
  const asOf = dayNumber(HISTORY_AS_OF);
  const born = dayNumber(biographics.dateOfBirth);
  // Arrival somewhere between childhood and a month before the records' cut-off.
  const arrived = dayBetween(rng, Math.max(born + 5 * YEAR, dayNumber('1985-01-01')), asOf - 30);
  const after = (day: number, minDays = 30) => dayBetween(rng, Math.min(day + minDays, asOf), asOf);
  const encounters: Encounter[] = [];
  const removalOrders: RemovalOrder[] = [];
  const foreignBorn = biographics.placeOfBirth !== 'US';

  switch (status) {
    case 'usc':
      if (foreignBorn) {
        encounters.push(
          encounter(rng, 'port-of-entry', arrived),
          encounter(rng, 'benefit-application', after(arrived, 5 * YEAR)),
        );
      } else {
        encounters.push(encounter(rng, 'interior-arrest', after(arrived)));
      }
      break;
    case 'lpr':
      encounters.push(encounter(rng, 'port-of-entry', arrived));
      if (rng.bool(0.5)) encounters.push(encounter(rng, 'benefit-application', after(arrived, YEAR)));
      break;
    case 'nonimmigrant-in-status':
      encounters.push(encounter(rng, 'port-of-entry', dayBetween(rng, asOf - 5 * YEAR, asOf - 30)));
      break;
    case 'overstay':
      encounters.push(encounter(rng, 'port-of-entry', arrived));
      break;
    case 'ewi': {
      // In IDENT because printed when caught at the border, perhaps more than once.
      const times = rng.int(1, 3);
      let day = arrived;
      for (let i = 0; i < times; i++) {
        encounters.push(encounter(rng, 'border-apprehension', day));
        day = after(day);
      }
      break;
    }
    case 'proceedings-pending': {
      encounters.push(encounter(rng, rng.bool(0.5) ? 'border-apprehension' : 'port-of-entry', arrived));
      encounters.push(encounter(rng, 'interior-arrest', after(arrived, YEAR)));
      break;
    }
    case 'final-order': {
      encounters.push(encounter(rng, rng.bool(0.6) ? 'border-apprehension' : 'port-of-entry', arrived));
      const arrested = after(arrived, YEAR);
      encounters.push(encounter(rng, 'interior-arrest', arrested));
      removalOrders.push({ date: isoDay(after(arrested, 60)), type: 'final' });
      break;
    }
    case 'previously-removed': {
      encounters.push(encounter(rng, 'border-apprehension', arrived));
      const ordered = after(arrived, 7);
      removalOrders.push({ date: isoDay(ordered), type: rng.bool(0.5) ? 'expedited' : 'final' });
      const removed = after(ordered, 7);
      encounters.push(encounter(rng, 'removal', removed));
      if (rng.bool(0.3)) {
        // Caught again after re-entering: the earlier order is reinstated and carried out.
        const caught = after(removed, 90);
        encounters.push(encounter(rng, 'border-apprehension', caught));
        removalOrders.push({ date: isoDay(after(caught, 7)), type: 'reinstated' });
        encounters.push(encounter(rng, 'removal', after(caught, 21)));
      }
      break;
    }
    case 'humanitarian-deferred':
      encounters.push(encounter(rng, rng.bool(0.5) ? 'border-apprehension' : 'port-of-entry', arrived));
      encounters.push(encounter(rng, 'benefit-application', after(arrived, 90)));
      break;
    case 'undetermined':
      encounters.push(
        encounter(rng, rng.pick(['port-of-entry', 'border-apprehension', 'interior-arrest'] as const), arrived),
      );
      break;
  }

  encounters.sort((a, b) => a.date.localeCompare(b.date));
  const record: ImmigrationRecord = { status, encounters, removalOrders };
  if (foreignBorn && rng.bool(A_NUMBER_SHARE[status])) {
    record.aNumber = `A${200_000_000 + (index % 800_000_000)}`;
  }
  return record;
}

/**
 * Prior convictions that amount to exactly `historyClass` under the Morton levels (ICE 10072.1):
 * - none: no conviction;
 * - L3: one or two misdemeanors;
 * - L2: one non-aggravated felony (with up to two misdemeanors), or three or four misdemeanors;
 * - L1: an aggravated-felony offense (with up to two misdemeanors and one felony), or two
 *   non-aggravated felonies.
 * Dated between the 18th birthday and the records' cut-off, oldest first.
 */
export function generateConvictions(
  rng: Rng,
  historyClass: CriminalHistoryClass,
  options: { dateOfBirth: string; asOf?: string },
): Conviction[] {
  const picks: OffenseTemplate[] = [];
  const add = (kind: OffenseKind, count: number) => {
    for (let i = 0; i < count; i++) picks.push(pickOffense(rng, offensesOf(kind)));
  };
  switch (historyClass) {
    case 'none':
      break;
    case 'L3':
      add('misdemeanor', rng.bool(0.7) ? 1 : 2);
      break;
    case 'L2':
      if (rng.bool(0.6)) {
        add('felony', 1);
        add('misdemeanor', rng.int(0, 2));
      } else {
        add('misdemeanor', rng.int(3, 4));
      }
      break;
    case 'L1':
      if (rng.bool(0.75)) {
        add('aggravated', 1);
        add('felony', rng.bool(0.2) ? 1 : 0);
        add('misdemeanor', rng.int(0, 2));
      } else {
        add('felony', 2);
        add('misdemeanor', rng.int(0, 1));
      }
      break;
  }
  const adult = dayNumber(options.dateOfBirth) + Math.round(18 * 365.25);
  const asOf = dayNumber(options.asOf ?? HISTORY_AS_OF);
  return picks
    .map((offense) => ({
      ncicCode: offense.ncicCode,
      literal: offense.literal,
      grade: offense.grade,
      maxSentenceDays: offense.maxSentenceDays,
      sentenceDays: sentenceFor(rng, offense),
      date: isoDay(dayBetween(rng, adult, asOf - 1)),
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

function sentenceFor(rng: Rng, offense: OffenseTemplate): number {
  const [min, max] = offense.sentenceDays;
  // About a third get the minimum (probation, a fine, time served) for the offense.
  return rng.bool(0.35) ? min : rng.int(min, max);
}

// ---------------------------------------------------------------------------------------------
// Bookings
// ---------------------------------------------------------------------------------------------

/**
 * The arrestee and charges of a booking. With `person` (a gallery identity's biographics) the
 * arrestee is that person, who claims US citizenship about 40% of the time (truthfully or not);
 * without, a fresh synthetic arrestee, mostly US-born (most bookings do not match, docs/domain.md §5),
 * who nearly always claims US citizenship. Then 1-3 charges, mostly still "charged"; a few already
 * "convicted" (CONVICTED_CHARGE_SHARE).
 */
export function generateBookingDetails(
  rng: Rng,
  options: { person?: GalleryIdentity['biographics']; bookedAt: Date },
): { subject: BookingSubject; charges: Charge[] } {
  const subject = options.person
    ? subjectOf(rng.fork('subject'), options.person)
    : freshSubject(rng.fork('subject'), options.bookedAt);
  const chargeRng = rng.fork('charges');
  const count = chargeRng.weighted(CHARGES_PER_BOOKING);
  const charges = Array.from({ length: count === 'one' ? 1 : count === 'two' ? 2 : 3 }, () => {
    const offense = pickOffense(chargeRng, OFFENSES);
    const charge: Charge = {
      statute: offense.statute,
      literal: offense.literal,
      ncicCode: offense.ncicCode,
      grade: offense.grade,
      maxSentenceDays: offense.maxSentenceDays,
      disposition: chargeRng.bool(CONVICTED_CHARGE_SHARE) ? 'convicted' : 'charged',
    };
    return charge;
  });
  return { subject, charges };
}

function subjectOf(rng: Rng, person: GalleryIdentity['biographics']): BookingSubject {
  const claimsUs = person.placeOfBirth === 'US' || rng.bool(0.4);
  return {
    name: { last: person.name.last, first: person.name.first },
    dateOfBirth: person.dateOfBirth,
    sex: person.sex,
    placeOfBirth: person.placeOfBirth,
    claimedCitizenship: claimsUs ? 'US' : person.placeOfBirth,
  };
}

function freshSubject(rng: Rng, bookedAt: Date): BookingSubject {
  const placeOfBirth = rng.bool(0.85) ? 'US' : rng.weighted(FOREIGN_BIRTH_COUNTRIES);
  const sex = rng.bool(0.75) ? 'M' : 'F';
  const age = Math.min(75, Math.max(18, Math.round(rng.normal(33, 11))));
  const names = NAMES[nameSetOf(placeOfBirth, rng)];
  const first = rng.pick(sex === 'M' ? names.male : names.female);
  const middle = rng.bool(0.5) ? rng.pick(sex === 'M' ? names.male : names.female) : undefined;
  const claimsUs = placeOfBirth === 'US' || rng.bool(0.3);
  const bookedDay = Math.floor(bookedAt.getTime() / DAY_MS);
  return {
    name: { last: rng.pick(names.last), first, ...(middle !== undefined && middle !== first ? { middle } : {}) },
    dateOfBirth: isoDay(yearsBefore(bookedDay, age, rng)),
    sex,
    placeOfBirth,
    claimedCitizenship: claimsUs ? 'US' : placeOfBirth,
  };
}

/** The ORI of a booking's jail, one of SYNTHETIC_JAIL_ORIS. */
export function generateOri(rng: Rng): string {
  return rng.weighted(SYNTHETIC_JAIL_ORIS);
}
