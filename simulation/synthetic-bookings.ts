import { generateImpression, generateMasterFinger, type ImpressionProfile } from './synthetic-fingers';
import { INDEXED_POSITIONS } from '#core/biometrics/index-keys';
import { createRng, type Rng } from './random';
import type { BookingFinger, BookingSubmission, FingerPosition, MinutiaeTemplate } from '#core/schemas';
import { ALL_POSITIONS, masterFingers, syntheticPerson } from './synthetic-gallery';
import { generateBookingDetails, generateOri } from './synthetic-people';

/**
 * Share of bookings whose subject is in the gallery: 597,527 identified of 9,108,703 submissions,
 * Nov 2008 - Jun 2011 (docs/domain.md §5).
 */
export const NATIONAL_MATCH_SHARE = 0.066;

/**
 * Subject-level capture failures. Tenprint misses come from whole people rather than single fingers:
 * worn or dry skin prints badly on every finger, and an injured or uncooperative subject may give
 * only a few usable prints. The shares are a project choice, not a measured population. Session 1
 * gave 12% of subjects only two or three usable prints; that is far more than booking stations see
 * (an operator re-rolls a bad print, and whole-hand enrolment failure is under 1% in the UK Passport
 * Service's 2005 trial~, about 4% among its disabled participants~), so it is now 2%, and worn skin
 * on all ten fingers takes 8%. The 1:N benchmark reports every profile on its own.
 */
export const SUBJECT_PROFILES = {
  /** Ten fingers, good impressions. */
  good: 0.84,
  /** One finger amputated or bandaged, the rest good. */
  missingFinger: 0.06,
  /** Ten fingers printed, every one a poor impression (worn, dry or scarred skin). */
  worn: 0.08,
  /** Two or three usable, poor impressions (thumbs or index fingers); the rest unprintable. */
  poor: 0.02,
} as const;
export type SubjectProfile = keyof typeof SUBJECT_PROFILES;

export interface SyntheticBookingOptions {
  /** Seed of the booking stream. */
  seed: number;
  /** Seed and size of the gallery the mated bookings come from. */
  gallerySeed: number;
  gallerySize: number;
  /** Share of bookings whose subject is enrolled. @default NATIONAL_MATCH_SHARE */
  matedShare?: number;
  /** First booking time; each booking is a few minutes after the one before. */
  startAt?: Date;
}

export interface SyntheticBooking {
  booking: BookingSubmission;
  /** Ground truth for tests and the demo's report; never sent to the pipeline. */
  truth: { galleryIndex: number | null; profile: SubjectProfile };
}

/** A deterministic UUID-shaped id: real clients send UUIDs. */
function syntheticUuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function captureFingers(
  masters: Map<FingerPosition, MinutiaeTemplate>,
  profile: SubjectProfile,
  rng: Rng,
): BookingFinger[] {
  const impression = (position: FingerPosition, quality: ImpressionProfile): BookingFinger => ({
    position,
    status: 'captured',
    impressionType: 'rolled',
    template: generateImpression(masters.get(position) as MinutiaeTemplate, rng.fork(position), quality),
  });
  if (profile === 'poor') {
    const usableCount = rng.int(2, 3);
    const usable = new Set<FingerPosition>();
    while (usable.size < usableCount) usable.add(rng.pick(INDEXED_POSITIONS));
    return ALL_POSITIONS.map((position) =>
      usable.has(position) ? impression(position, 'poor') : { position, status: 'unprintable' as const },
    );
  }
  const missing = profile === 'missingFinger' ? rng.pick(ALL_POSITIONS) : null;
  const quality: ImpressionProfile = profile === 'worn' ? 'poor' : 'good';
  return ALL_POSITIONS.map((position) =>
    position === missing
      ? { position, status: rng.pick(['amputated', 'bandaged'] as const) }
      : impression(position, quality),
  );
}

/** Booking number `index` of a synthetic stream: a jail, a subject, charges and a tenprint. */
export function syntheticBooking(options: SyntheticBookingOptions, index: number): SyntheticBooking {
  const rng = createRng(options.seed).fork(`booking:${index}`);
  const mated = rng.bool(options.matedShare ?? NATIONAL_MATCH_SHARE) && options.gallerySize > 0;
  const galleryIndex = mated ? rng.int(0, options.gallerySize - 1) : null;
  return bookingOfSubject(options, index, { galleryIndex, profile: rng.weighted(SUBJECT_PROFILES) });
}

/** A booking of a chosen subject: gallery person `galleryIndex` (null: a stranger) captured as `profile`. */
export function bookingOfSubject(
  options: Pick<SyntheticBookingOptions, 'seed' | 'gallerySeed' | 'startAt'>,
  index: number,
  subject: { galleryIndex: number | null; profile: SubjectProfile },
): SyntheticBooking {
  const { galleryIndex, profile } = subject;
  const rng = createRng(options.seed).fork(`booking-of:${index}`);
  const startAt = options.startAt ?? new Date('2011-05-02T08:00:00Z');
  const bookedAt = new Date(startAt.getTime() + index * 7 * 60_000);

  const masters =
    galleryIndex === null ? strangerMasters(options.seed, index) : masterFingers(options.gallerySeed, galleryIndex);
  const person = galleryIndex === null ? undefined : syntheticPerson(options.gallerySeed, galleryIndex).biographics;
  const details = generateBookingDetails(rng.fork('details'), { bookedAt, ...(person ? { person } : {}) });

  const booking: BookingSubmission = {
    submissionId: syntheticUuid(rng.fork('id')),
    ori: generateOri(rng.fork('ori')),
    bookingNumber: `B${String(options.seed % 1000).padStart(3, '0')}-${String(index).padStart(7, '0')}`,
    bookedAt: bookedAt.toISOString(),
    subject: details.subject,
    charges: details.charges,
    fingers: captureFingers(masters, profile, rng.fork('capture')),
  };
  return { booking, truth: { galleryIndex, profile } };
}

/** Fingers of someone who is not in the gallery. */
function strangerMasters(seed: number, index: number): Map<FingerPosition, MinutiaeTemplate> {
  const rng = createRng(seed).fork(`stranger:${index}`);
  return new Map(ALL_POSITIONS.map((position) => [position, generateMasterFinger(rng.fork(position), position)]));
}
