/**
 * Prints a synthetic booking as JSON, for curl and for the README.
 *   npx tsx scripts/example-booking.ts [--gallery-index N | --stranger] [--profile good|missingFinger|poor] [--seed S]
 * --gallery-index N books person N of the gallery that `npm run local` seeds (seed 1), so it matches.
 */
import { parseArgs } from 'node:util';
import { bookingOfSubject, type SubjectProfile } from '#simulation/synthetic-bookings';

const { values } = parseArgs({
  options: {
    'gallery-index': { type: 'string' },
    stranger: { type: 'boolean' },
    profile: { type: 'string' },
    seed: { type: 'string' },
    'gallery-seed': { type: 'string' },
  },
});
const galleryIndex = values.stranger ? null : Number(values['gallery-index'] ?? 0);
const { booking } = bookingOfSubject(
  { seed: Number(values.seed ?? 7), gallerySeed: Number(values['gallery-seed'] ?? 1) },
  galleryIndex ?? 0,
  { galleryIndex, profile: (values.profile as SubjectProfile | undefined) ?? 'good' },
);
console.log(JSON.stringify(booking, null, 2));
