import type { Rng } from './random';
import type {
  BookingSubject,
  Charge,
  Conviction,
  GalleryIdentity,
  IdentityRecord,
  ImmigrationRecord,
  ImmigrationStatus,
  OffenseGrade,
} from '#core/schemas';

/**
 * Synthetic, deterministic people: the records and biographics of gallery identities, and the
 * arrestee and charges of a booking. No fingerprints here (see synthetic-gallery.ts). Every person
 * is invented: names are drawn from short lists of common names, numbers are derived from the
 * index, nothing comes from a real record.
 */

export type CriminalHistoryClass = 'none' | 'L3' | 'L2' | 'L1';

/**
 * Immigration status of gallery identities (the IAR the database check returns for a match).
 * The shares are a project choice, tuned against DOMAIN.md §5 so that matched bookings decided
 * under sc-2011 come out at about 25% detainer, 47% discretion review and 28% no action (measured
 * over 20,000 generated people with generated charges: 24.8% / 46.8% / 28.3%):
 * - detainers on about 20% of matches (16,631 detainers on 82,890 matches by 8/2009); the share
 *   here is a little higher, as detainers also go to lawful residents with a Level 1/2 conviction;
 * - USC 3%: the Warren Institute found 1.6% of the people ICE arrested through SC were citizens;
 *   matches also include naturalized citizens whom the database check clears before any arrest,
 *   so the share among matches is set higher;
 * - removals to 2/2011 were ~29% non-criminal: final orders and previous removals (8%, detainers
 *   without a conviction) and removable people without a conviction (reviewed) come from here;
 * - lawful statuses (LPR, nonimmigrant, humanitarian: 33%) are matches that end in no action
 *   unless a Level 1/2 conviction makes them removable.
 */
export const GALLERY_STATUS_SHARES: Record<ImmigrationStatus, number> = {
  usc: 0.03,
  lpr: 0.23,
  'nonimmigrant-in-status': 0.05,
  'humanitarian-deferred': 0.05,
  overstay: 0.14,
  ewi: 0.23,
  'proceedings-pending': 0.1,
  'final-order': 0.03,
  'previously-removed': 0.05,
  undetermined: 0.09,
};

/**
 * Criminal history of gallery identities, by the offense level it amounts to (DOMAIN.md §2), drawn
 * independently of status. DOMAIN.md §5: in the first year ~10% of identified people were Level 1
 * (11k of 111k); removals to 2/2011 were 28.7% non-criminal, 31.6% L3 and ~40% L1+L2, but removals
 * over-represent the convicted, so among all matches the shares lean further to no conviction.
 */
export const CRIMINAL_HISTORY_SHARES: Record<CriminalHistoryClass, number> = {
  none: 0.45,
  L3: 0.37,
  L2: 0.08,
  L1: 0.1,
};

/** Share of booking charges that are already convicted (a commitment, a sentence to serve). */
export const CONVICTED_CHARGE_SHARE = 0.05;

/**
 * Prior records are dated before this day, the eve of the first Secure Communities deployments, so
 * they precede every booking of the era.
 */
const HISTORY_AS_OF = '2008-10-01';

// ---------------------------------------------------------------------------------------------
// Offenses
// ---------------------------------------------------------------------------------------------

type OffenseKind = 'aggravated' | 'felony' | 'misdemeanor';

interface OffenseTemplate {
  kind: OffenseKind;
  ncicCode: string;
  literal: string;
  statute: string;
  grade: OffenseGrade;
  maxSentenceDays: number;
  /** Range of the sentence imposed on conviction, in days. */
  sentenceDays: readonly [number, number];
  /** Relative frequency among arrests and convictions (traffic and DUI most common, GAO-12-708). */
  weight: number;
}

const YEAR = 365;

/**
 * A small catalog of offenses with NCIC codes, Texas-style statutes (HSC: Health and Safety Code, TC: Transportation Code) and maximum sentences (class B
 * misdemeanor 180 days, class A one year, state jail felony two years, third degree ten years, second
 * degree twenty). "aggravated" offenses fall in the code table's aggravated-felony categories (drugs
 * only with the sentence imposed over a year); "felony" offenses are punishable by more than a year
 * but are not aggravated; "misdemeanor" offenses are punishable by a year or less and are not
 * aggravated. Codes are the generic xx99 of their category where a specific one was not checked.
 */
function offenseOf(kind: OffenseKind) {
  return (
    ncicCode: string,
    literal: string,
    statute: string,
    maxSentenceDays: number,
    sentenceDays: readonly [number, number],
    weight: number,
  ): OffenseTemplate => ({
    kind,
    ncicCode,
    literal,
    statute,
    grade: kind === 'misdemeanor' ? 'misdemeanor' : 'felony',
    maxSentenceDays,
    sentenceDays,
    weight,
  });
}
const agg = offenseOf('aggravated');
const fel = offenseOf('felony');
const misd = offenseOf('misdemeanor');

const OFFENSES: readonly OffenseTemplate[] = [
  // Aggravated-felony categories (Level 1 by themselves).
  agg('0999', 'MURDER', 'PENAL CODE 19.02', 99 * YEAR, [10 * YEAR, 50 * YEAR], 0.1),
  agg('0999', 'MANSLAUGHTER', 'PENAL CODE 19.04', 20 * YEAR, [2 * YEAR, 10 * YEAR], 0.15),
  agg('1099', 'KIDNAPPING', 'PENAL CODE 20.03', 10 * YEAR, [YEAR, 5 * YEAR], 0.15),
  agg('1199', 'SEXUAL ASSAULT', 'PENAL CODE 22.011', 20 * YEAR, [2 * YEAR, 10 * YEAR], 0.3),
  agg('1299', 'ROBBERY', 'PENAL CODE 29.02', 20 * YEAR, [YEAR, 10 * YEAR], 1),
  agg('1399', 'AGGRAVATED ASSAULT WITH A DEADLY WEAPON', 'PENAL CODE 22.02', 20 * YEAR, [180, 8 * YEAR], 1.5),
  agg('3599', 'MANUFACTURE OR DELIVERY OF CONTROLLED SUBSTANCE', 'HSC 481.112', 20 * YEAR, [400, 10 * YEAR], 1.5),
  agg('3699', 'INDECENCY WITH A CHILD', 'PENAL CODE 21.11', 20 * YEAR, [2 * YEAR, 10 * YEAR], 0.3),
  agg('5299', 'UNLAWFUL POSSESSION OF FIREARM BY FELON', 'PENAL CODE 46.04', 10 * YEAR, [YEAR, 5 * YEAR], 0.6),
  // Felonies punishable by more than a year, outside the aggravated categories.
  fel('2299', 'BURGLARY OF A HABITATION', 'PENAL CODE 30.02', 20 * YEAR, [0, 5 * YEAR], 1),
  fel('2399', 'THEFT OF PROPERTY $1,500-$20,000', 'PENAL CODE 31.03', 2 * YEAR, [0, YEAR], 1),
  fel('2499', 'UNAUTHORIZED USE OF A MOTOR VEHICLE', 'PENAL CODE 31.07', 2 * YEAR, [0, YEAR], 0.5),
  fel('2599', 'FORGERY OF A GOVERNMENT RECORD', 'PENAL CODE 32.21', 2 * YEAR, [0, YEAR], 0.4),
  fel('2699', 'CREDIT CARD ABUSE', 'PENAL CODE 32.31', 2 * YEAR, [0, YEAR], 0.4),
  fel('3599', 'POSSESSION OF CONTROLLED SUBSTANCE', 'HSC 481.115', 2 * YEAR, [0, YEAR], 1.5),
  fel('5404', 'DRIVING WHILE INTOXICATED, THIRD OR MORE', 'PENAL CODE 49.09', 10 * YEAR, [0, 2 * YEAR], 0.6),
  fel('0399', 'ILLEGAL REENTRY AFTER REMOVAL', '8 USC 1326', 2 * YEAR, [0, 2 * YEAR], 0.4),
  fel('4999', 'EVADING ARREST WITH A VEHICLE', 'PENAL CODE 38.04', 2 * YEAR, [0, YEAR], 0.3),
  // Misdemeanors punishable by a year or less, outside the aggravated categories.
  misd('5404', 'DRIVING WHILE INTOXICATED', 'PENAL CODE 49.04', 180, [0, 180], 4),
  misd('5403', 'DRIVING UNDER THE INFLUENCE OF DRUGS', 'PENAL CODE 49.04', 180, [0, 180], 0.5),
  misd('5499', 'DRIVING WHILE LICENSE INVALID', 'TC 521.457', 180, [0, 90], 3),
  misd('5401', 'LEAVING THE SCENE OF AN ACCIDENT', 'TC 550.022', 180, [0, 90], 0.5),
  misd('2399', 'THEFT OF PROPERTY $100-$750', 'PENAL CODE 31.03', 180, [0, 180], 2),
  misd('1313', 'ASSAULT CAUSING BODILY INJURY', 'PENAL CODE 22.01', YEAR, [0, YEAR], 2),
  misd('3562', 'POSSESSION OF MARIJUANA UNDER 2 OZ', 'HSC 481.121', 180, [0, 180], 2.5),
  misd('4299', 'PUBLIC INTOXICATION', 'PENAL CODE 49.02', 0, [0, 0], 1.5),
  misd('5311', 'DISORDERLY CONDUCT', 'PENAL CODE 42.01', 0, [0, 0], 0.5),
  misd('4801', 'RESISTING ARREST', 'PENAL CODE 38.03', YEAR, [0, 180], 0.7),
  misd('2999', 'CRIMINAL MISCHIEF', 'PENAL CODE 28.03', 180, [0, 90], 0.7),
  misd('0399', 'ILLEGAL ENTRY', '8 USC 1325', 180, [0, 180], 0.3),
  misd('5099', 'BAIL JUMPING AND FAILURE TO APPEAR', 'PENAL CODE 38.10', YEAR, [0, 90], 0.5),
];

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
// Names and places
// ---------------------------------------------------------------------------------------------

type NameSet = 'hispanic' | 'chinese' | 'vietnamese' | 'indian' | 'anglo';

/** Splits a list of single-word names written one after another. */
function words(list: string): readonly string[] {
  return list.trim().split(/\s+/);
}

const NAMES: Record<NameSet, { last: readonly string[]; male: readonly string[]; female: readonly string[] }> = {
  hispanic: {
    last: words(`GARCIA MARTINEZ HERNANDEZ LOPEZ GONZALEZ RODRIGUEZ PEREZ SANCHEZ RAMIREZ TORRES FLORES RIVERA GOMEZ
      DIAZ REYES CRUZ MORALES ORTIZ GUTIERREZ CHAVEZ RAMOS MENDOZA CASTILLO VASQUEZ JIMENEZ`),
    male: words(`JOSE JUAN LUIS CARLOS JESUS MIGUEL FRANCISCO JORGE ANTONIO PEDRO MANUEL RAFAEL ALEJANDRO MARIO
      OSCAR VICTOR RAUL SERGIO FERNANDO EDGAR`),
    female: words(`MARIA ANA ROSA GUADALUPE CARMEN VERONICA LETICIA SANDRA PATRICIA BLANCA JUANA ALMA GLORIA MARTHA`),
  },
  chinese: {
    last: words(`WANG LI ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU`),
    male: words(`WEI JUN MING HAO LEI QIANG`),
    female: words(`FANG XIU YAN HUI JING LING`),
  },
  vietnamese: {
    last: words(`NGUYEN TRAN LE PHAM HOANG PHAN VU`),
    male: words(`MINH TUAN HUNG DUC THANH NAM`),
    female: words(`LAN HOA MAI LINH THU NGOC`),
  },
  indian: {
    last: words(`PATEL SINGH SHARMA KUMAR SHAH REDDY`),
    male: words(`RAJ AMIT SANJAY VIKRAM RAVI ARUN`),
    female: words(`PRIYA ANJALI SUNITA NEHA KAVITA POOJA`),
  },
  anglo: {
    last: words(`SMITH JOHNSON WILLIAMS BROWN JONES DAVIS MILLER WILSON MOORE TAYLOR ANDERSON THOMAS JACKSON WHITE
      CAMPBELL BAPTISTE`),
    male: words(`JAMES JOHN ROBERT MICHAEL WILLIAM DAVID RICHARD JOSEPH CHARLES MARK`),
    female: words(`MARY PATRICIA JENNIFER LINDA ELIZABETH BARBARA SUSAN LISA`),
  },
};

/**
 * Countries of birth of foreign-born people in the gallery, weighted toward the nationalities most
 * common among Secure Communities matches (Mexico and Central America). A project choice.
 */
const FOREIGN_BIRTH_COUNTRIES: Record<string, number> = {
  MX: 0.58,
  GT: 0.08,
  SV: 0.07,
  HN: 0.06,
  DO: 0.02,
  CU: 0.02,
  CO: 0.02,
  EC: 0.02,
  PH: 0.02,
  IN: 0.02,
  CN: 0.02,
  VN: 0.02,
  JM: 0.02,
  HT: 0.01,
};

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

const ENCOUNTER_PLACES = {
  'port-of-entry': [
    'SAN YSIDRO POE',
    'LAREDO POE',
    'EL PASO POE',
    'NOGALES POE',
    'JFK AIRPORT',
    'MIAMI INTL AIRPORT',
    'LOS ANGELES INTL AIRPORT',
    'HOUSTON INTERCONTINENTAL AIRPORT',
  ],
  'border-apprehension': [
    'TUCSON SECTOR',
    'RIO GRANDE VALLEY SECTOR',
    'SAN DIEGO SECTOR',
    'EL PASO SECTOR',
    'LAREDO SECTOR',
    'EL CENTRO SECTOR',
  ],
  'interior-arrest': [
    'ERO HOUSTON',
    'ERO DALLAS',
    'ERO LOS ANGELES',
    'ERO PHOENIX',
    'ERO CHICAGO',
    'ERO ATLANTA',
    'ERO MIAMI',
  ],
  'benefit-application': [
    'USCIS HOUSTON FIELD OFFICE',
    'USCIS LOS ANGELES FIELD OFFICE',
    'USCIS CHICAGO FIELD OFFICE',
    'USCIS MIAMI FIELD OFFICE',
    'USCIS PHOENIX FIELD OFFICE',
  ],
  removal: ['LAREDO', 'BROWNSVILLE', 'NOGALES', 'SAN YSIDRO', 'ALEXANDRIA STAGING FACILITY'],
} as const;

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
  // record that lists a citizen as foreign-born: the Gonzalez v. ICE failure, DOMAIN.md §4).
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

/** Likelihood of an A-number by status: an A-file opens with a benefit, proceedings or a removal. */
const A_NUMBER_SHARE: Record<ImmigrationStatus, number> = {
  usc: 0.9,
  lpr: 1,
  'nonimmigrant-in-status': 0.1,
  'humanitarian-deferred': 1,
  overstay: 0.3,
  ewi: 0.6,
  'proceedings-pending': 1,
  'final-order': 1,
  'previously-removed': 1,
  undetermined: 0.5,
};

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
 * without, a fresh synthetic arrestee, mostly US-born (most bookings do not match, DOMAIN.md §5),
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
  const count = chargeRng.weighted({ one: 0.6, two: 0.28, three: 0.12 });
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

/**
 * Synthetic jails: 9-character ORIs with real state prefixes (a 3-digit county part and a 4-digit
 * agency part that are not meant to name a real agency), weighted toward the states where Secure
 * Communities started (Texas, California, Arizona, Florida; DOMAIN.md §5).
 */
export const SYNTHETIC_JAIL_ORIS: Readonly<Record<string, number>> = {
  TX2200000: 0.12,
  TX1010000: 0.1,
  TX0570000: 0.06,
  TX0150000: 0.05,
  CA0190000: 0.1,
  CA0370000: 0.06,
  CA0330000: 0.04,
  AZ0070000: 0.08,
  FL0130000: 0.06,
  FL0480000: 0.04,
  IL0160000: 0.05,
  NC0600000: 0.04,
  GA0330000: 0.04,
  VA0290000: 0.03,
  NM0010000: 0.03,
  NY0300000: 0.02,
  MA0130000: 0.02,
  OK0550000: 0.02,
  UT0180000: 0.02,
  DE0010000: 0.01,
};

export function generateOri(rng: Rng): string {
  return rng.weighted(SYNTHETIC_JAIL_ORIS);
}
