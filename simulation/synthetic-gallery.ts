import { generateImpression, generateMasterFinger } from './synthetic-fingers';
import { createRng, type Rng } from './random';
import type { EnrolledFinger, FingerPosition, GalleryIdentity, MinutiaeTemplate } from '#core/schemas';
import { generateIdentityPerson } from './synthetic-people';

export const ALL_POSITIONS: readonly FingerPosition[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/**
 * The master fingers of synthetic person `index`: the ridge detail that never changes. Every capture
 * (the gallery's enrolment, each later booking) is an impression of these, so they are regenerated
 * from (seed, index) rather than stored.
 */
export function masterFingers(seed: number, index: number): Map<FingerPosition, MinutiaeTemplate> {
  const rng = createRng(seed).fork(`masters:${index}`);
  return new Map(ALL_POSITIONS.map((position) => [position, generateMasterFinger(rng.fork(position), position)]));
}

/** The record and biographics of synthetic person `index`, without fingerprints. */
export function syntheticPerson(seed: number, index: number): ReturnType<typeof generateIdentityPerson> {
  return generateIdentityPerson(createRng(seed).fork(`person:${index}`), index);
}

/** Gallery identity number `index` of a synthetic gallery: its record and an enrolment tenprint. */
export function syntheticIdentity(seed: number, index: number): GalleryIdentity {
  const person = syntheticPerson(seed, index);
  const captureRng: Rng = createRng(seed).fork(`enrolment:${index}`);
  const fingers: EnrolledFinger[] = [...masterFingers(seed, index)].map(([position, master]) => ({
    position,
    template: generateImpression(master, captureRng.fork(position), 'good'),
  }));
  return { ...person.record, biographics: person.biographics, fingers };
}

/** Identities `start` .. `start + count - 1` of the gallery generated from `seed`. */
export function* syntheticGallery(seed: number, count: number, start = 0): Generator<GalleryIdentity> {
  for (let index = start; index < start + count; index++) yield syntheticIdentity(seed, index);
}
