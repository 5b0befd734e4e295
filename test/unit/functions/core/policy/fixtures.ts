import type { Rng } from '#simulation/random';
import type {
  BookingCase,
  Candidate,
  Charge,
  Conviction,
  IdentityRecord,
  ImmigrationStatus,
  MatchOutcome,
  MatchResult,
} from '#core/schemas';
import { generateBookingDetails, generateOri } from '#simulation/synthetic-people';

/** Decision time used by the tests. */
export const NOW = new Date('2011-06-10T15:00:00.000Z');

export const SUBJECT_ID = 'FIN1000000042';

export function charge(overrides: Partial<Charge> = {}): Charge {
  return {
    statute: 'PENAL CODE 49.04',
    literal: 'DRIVING WHILE INTOXICATED',
    ncicCode: '5404',
    grade: 'misdemeanor',
    maxSentenceDays: 180,
    disposition: 'charged',
    ...overrides,
  };
}

export function conviction(overrides: Partial<Conviction> = {}): Conviction {
  return {
    ncicCode: '5404',
    literal: 'DRIVING WHILE INTOXICATED',
    grade: 'misdemeanor',
    maxSentenceDays: 180,
    sentenceDays: 30,
    date: '2005-03-01',
    ...overrides,
  };
}

/** A felony punishable by more than a year, outside the aggravated categories (burglary). */
export function felony(overrides: Partial<Conviction> = {}): Conviction {
  return conviction({
    ncicCode: '2299',
    literal: 'BURGLARY OF A HABITATION',
    grade: 'felony',
    maxSentenceDays: 7300,
    sentenceDays: 365,
    ...overrides,
  });
}

export function bookingCase(overrides: Partial<BookingCase> = {}): BookingCase {
  return {
    submissionId: 'sub-0000001',
    ori: 'TX2200000',
    bookingNumber: 'B-2011-0001',
    bookedAt: '2011-06-10T09:30:00-05:00',
    charges: [charge()],
    ...overrides,
  };
}

export function identity(
  status: ImmigrationStatus,
  convictions: Conviction[] = [],
  removalOrders: IdentityRecord['immigration']['removalOrders'] = [],
): IdentityRecord {
  return {
    subjectId: SUBJECT_ID,
    immigration: {
      status,
      aNumber: 'A200000042',
      encounters: [{ date: '2001-04-02', place: 'LAREDO POE', type: 'port-of-entry' }],
      removalOrders,
    },
    criminalHistory: { convictions },
  };
}

export function candidate(subjectId: string, score: number): Candidate {
  return { subjectId, score, fingerScores: [{ position: 2, score }] };
}

export interface MatchOptions {
  outcome?: MatchOutcome;
  identity?: IdentityRecord | null;
  booking?: Partial<BookingCase>;
  candidates?: Candidate[];
}

/** A match result; by default a match on SUBJECT_ID with the given identity. */
export function matchResult(options: MatchOptions = {}): MatchResult {
  const outcome = options.outcome ?? 'match';
  const record = outcome === 'match' ? (options.identity === undefined ? identity('ewi') : options.identity) : null;
  const candidates =
    options.candidates ??
    (outcome === 'no-match' ? [] : [candidate(record?.subjectId ?? SUBJECT_ID, outcome === 'match' ? 92.5 : 41)]);
  return {
    booking: bookingCase(options.booking),
    outcome,
    candidates,
    identity: record,
    matcher: { algorithm: 'baseline-minutiae', version: '1.0.0', thresholds: { match: 60, inconclusive: 30 } },
    search: {
      indexKeysQueried: 12,
      candidatesRetrieved: 4,
      candidatesVerified: 4,
      verificationRounds: 1,
      latencyMs: 87,
    },
    matchedAt: '2011-06-10T14:59:58.000Z',
  };
}

/** A match result for a generated gallery person booked with generated charges. */
export function generatedMatch(
  rng: Rng,
  record: IdentityRecord,
  index: number,
  outcome: MatchOutcome = 'match',
): MatchResult {
  const bookedAt = new Date(Date.UTC(2011, 4, 2) + index * 7 * 60_000);
  const details = generateBookingDetails(rng.fork('details'), { bookedAt });
  return {
    ...matchResult({
      outcome,
      identity: outcome === 'match' ? record : null,
      candidates: outcome === 'no-match' ? [] : [candidate(record.subjectId, outcome === 'match' ? 88 : 40)],
    }),
    booking: {
      submissionId: `sub-${String(index).padStart(8, '0')}`,
      ori: generateOri(rng.fork('ori')),
      bookingNumber: `B-${index}`,
      bookedAt: bookedAt.toISOString(),
      charges: details.charges,
    },
  };
}
