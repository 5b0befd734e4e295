import type { ImmigrationStatus, OffenseGrade } from '#core/schemas';

/**
 * The tables synthetic people are drawn from: shares of statuses and criminal histories, the
 * offense catalog, name lists, places and jails. Data only; synthetic-people.ts draws from them.
 * Everything here is invented or generic (common names, code-table categories, state prefixes),
 * nothing comes from a real record.
 *
 * The order of the keys of every weighted table is part of the output: Rng.weighted walks them in
 * order, so reordering a table changes the people a seed generates.
 */

// ---------------------------------------------------------------------------------------------
// Statuses and histories
// ---------------------------------------------------------------------------------------------

export type CriminalHistoryClass = 'none' | 'L3' | 'L2' | 'L1';

/**
 * Immigration status of gallery identities (the IAR the database check returns for a match).
 * The shares are a project choice, tuned against docs/domain.md §5 so that matched bookings decided
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
 * Criminal history of gallery identities, by the offense level it amounts to (docs/domain.md §2), drawn
 * independently of status. docs/domain.md §5: in the first year ~10% of identified people were Level 1
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

/** How many charges a booking carries. */
export const CHARGES_PER_BOOKING = { one: 0.6, two: 0.28, three: 0.12 } as const;

/**
 * Prior records are dated before this day, the eve of the first Secure Communities deployments, so
 * they precede every booking of the era.
 */
export const HISTORY_AS_OF = '2008-10-01';

// ---------------------------------------------------------------------------------------------
// Offenses
// ---------------------------------------------------------------------------------------------

export type OffenseKind = 'aggravated' | 'felony' | 'misdemeanor';

export interface OffenseTemplate {
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

/** A year, in days: for sentences and for the gaps between records. */
export const YEAR = 365;

/**
 * A small catalog of offenses with NCIC codes, Texas-style statutes (HSC: Health and Safety Code,
 * TC: Transportation Code) and maximum sentences (class B misdemeanor 180 days, class A one year,
 * state jail felony two years, third degree ten years, second degree twenty). "aggravated" offenses fall in the code table's aggravated-felony categories (drugs
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

export const OFFENSES: readonly OffenseTemplate[] = [
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

// ---------------------------------------------------------------------------------------------
// Names and places
// ---------------------------------------------------------------------------------------------

export type NameSet = 'hispanic' | 'chinese' | 'vietnamese' | 'indian' | 'anglo';

/** Splits a list of single-word names written one after another. */
function words(list: string): readonly string[] {
  return list.trim().split(/\s+/);
}

export const NAMES: Record<NameSet, { last: readonly string[]; male: readonly string[]; female: readonly string[] }> = {
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
export const FOREIGN_BIRTH_COUNTRIES: Record<string, number> = {
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

/** Where IDENT records an encounter of each type. */
export const ENCOUNTER_PLACES = {
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

/** Likelihood of an A-number by status: an A-file opens with a benefit, proceedings or a removal. */
export const A_NUMBER_SHARE: Record<ImmigrationStatus, number> = {
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

/**
 * Synthetic jails: 9-character ORIs with real state prefixes (a 3-digit county part and a 4-digit
 * agency part that are not meant to name a real agency), weighted toward the states where Secure
 * Communities started (Texas, California, Arizona, Florida; docs/domain.md §5).
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
