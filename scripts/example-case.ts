/**
 * Prints a decision case (sc-pipeline decide's input) for a booking of the demo's stream: the booking,
 * the match result of a 1:N search against the demo's gallery (in memory: the same identities, index
 * and search as the match step), and the matched identity.
 *
 *   npx tsx scripts/example-case.ts [--booking N] [--gallery 2000] [--gallery-seed 1] [--booking-seed 2]
 *   npx tsx scripts/example-case.ts > /tmp/case.json && npx sc-pipeline decide --explain /tmp/case.json
 *
 * Without --booking, the first booking of an enrolled person in the stream.
 */
import { parseArgs } from 'node:util';
import { createInMemoryGallery } from '#simulation/in-memory-gallery';
import { NATIONAL_MATCH_SHARE, syntheticBooking } from '#simulation/synthetic-bookings';
import { syntheticIdentity } from '#simulation/synthetic-gallery';
import type { DecisionCase } from '#core/schemas';
import { searchBooking } from '#functions/match/search-booking';

const { values } = parseArgs({
  options: {
    booking: { type: 'string' },
    gallery: { type: 'string' },
    'gallery-seed': { type: 'string' },
    'booking-seed': { type: 'string' },
  },
});
const gallerySize = Number(values.gallery ?? 2000);
const gallerySeed = Number(values['gallery-seed'] ?? 1);
const stream = {
  seed: Number(values['booking-seed'] ?? 2),
  gallerySeed,
  gallerySize,
  matedShare: NATIONAL_MATCH_SHARE,
};

let index = values.booking === undefined ? 0 : Number(values.booking);
if (values.booking === undefined) {
  while (syntheticBooking(stream, index).truth.galleryIndex === null) index++;
}
const { booking, truth } = syntheticBooking(stream, index);
const identities = Array.from({ length: gallerySize }, (_, i) => syntheticIdentity(gallerySeed, i));
const gallery = createInMemoryGallery(
  identities.map((identity) => ({
    identity: {
      subjectId: identity.subjectId,
      immigration: identity.immigration,
      criminalHistory: identity.criminalHistory,
    },
    fingers: identity.fingers,
  })),
);
const match = await searchBooking(booking, gallery);
const matched = match.identity ? identities.find((i) => i.subjectId === match.identity?.subjectId) : undefined;
const decisionCase: DecisionCase = {
  booking,
  match,
  identity: matched
    ? { subjectId: matched.subjectId, immigration: matched.immigration, criminalHistory: matched.criminalHistory }
    : null,
};
console.error(`booking ${index} of the demo stream (gallery person ${truth.galleryIndex ?? 'none'}): ${match.outcome}`);
console.log(JSON.stringify(decisionCase, null, 2));
