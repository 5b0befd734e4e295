/**
 * Experiment (tuning seeds; not part of the pipeline): does weighting each key hit by its bucket's
 * size (size^-0.25, the weight of the vote the rotation vote replaced) rank worn and poor mates
 * higher inside the rotation bins, as the gallery grows?
 *
 *   npx tsx scripts/experiments/weighted-rotation-vote.ts [gallerySize=30000] [probes per profile=60]
 *   MARGIN=1 scores a finger by its fullest bin above the next one instead of the fullest bin.
 *
 * Result (30,000 identities, 60 probes each; mate in the top 20 / top 200): the rotation vote as
 * built: worn 55 / 57, poor 48 / 55; weighted, fullest bin: worn 52 / 57, poor 46 / 53; weighted,
 * fullest bin above the next: worn 40 / 47, poor 31 / 39. Neither helps: not adopted. At 10,000
 * identities: rotation vote worn 57 / 58, poor 49 / 57; the size-weighted vote it replaced worn
 * 44 / 55, poor 29 / 46.
 */
import { createInMemoryGallery } from '../../functions/core/biometrics/in-memory-gallery';
import { directionDegrees, galleryNumber, type Posting } from '../../functions/core/biometrics/index-postings';
import { probeIndexKeys, rankByRotationVote, type ProbeFingerKeys } from '../../functions/core/biometrics/search';
import { bookingOfSubject, type SubjectProfile } from '../../functions/core/seeding/synthetic-bookings';
import { syntheticIdentity } from '../../functions/core/seeding/synthetic-gallery';
import type { CapturedFinger } from '../../functions/core/schemas';

const [N = 30_000, M = 60] = process.argv.slice(2).map(Number);
const BINS = 18;

function weightedVote(probe: readonly ProbeFingerKeys[], index: ReadonlyMap<string, readonly Posting[]>) {
  const votes = new Map<number, number>();
  for (const { entries } of probe) {
    const bins = new Map<number, Float64Array>();
    for (const { key, directions } of entries) {
      const postings = index.get(key);
      if (!postings) continue;
      const weight = postings.length ** -0.25;
      const seen = new Set<number>();
      for (const { subject, direction } of postings) {
        if (seen.has(subject)) continue;
        seen.add(subject);
        let b = bins.get(subject);
        if (!b) bins.set(subject, (b = new Float64Array(BINS)));
        for (const probed of directions) {
          const turn = (((directionDegrees(direction) - probed) % 360) + 360) % 360;
          b[Math.floor(turn / 20) % BINS]! += weight;
        }
      }
    }
    for (const [subject, b] of bins) {
      let best = 0;
      let second = 0;
      for (const v of b) {
        if (v > best) [second, best] = [best, v];
        else if (v > second) second = v;
      }
      // MARGIN=1: the fullest bin above the next one (chance hits spread, a mate's pile up); else the fullest bin.
      const score = process.env.MARGIN === '1' ? Math.max(0, best - second) : best;
      votes.set(subject, (votes.get(subject) ?? 0) + score);
    }
  }
  return [...votes.entries()].sort(([a, va], [b, vb]) => vb - va || a - b);
}

/** The vote the rotation vote replaced: each key hit weighs bucket size ^ -0.25, no rotation check. */
function plainSizeWeightedVote(probe: readonly ProbeFingerKeys[], index: ReadonlyMap<string, readonly Posting[]>) {
  const votes = new Map<number, number>();
  for (const { entries } of probe) {
    for (const { key } of entries) {
      const postings = index.get(key);
      if (!postings) continue;
      const subjects = new Set(postings.map((p) => p.subject));
      const weight = subjects.size ** -0.25;
      for (const subject of subjects) votes.set(subject, (votes.get(subject) ?? 0) + weight);
    }
  }
  return [...votes.entries()].sort(([a, va], [b, vb]) => vb - va || a - b);
}

const subjects = Array.from({ length: N }, (_, i) => {
  const id = syntheticIdentity(1, i);
  return {
    identity: { subjectId: id.subjectId, immigration: id.immigration, criminalHistory: id.criminalHistory },
    fingers: id.fingers,
  };
});
const gallery = createInMemoryGallery(subjects);
for (const profile of ['worn', 'poor'] as SubjectProfile[]) {
  const within = { plain: [0, 0], weighted: [0, 0], old: [0, 0] };
  for (let i = 0; i < M; i++) {
    const gi = (i * 37) % N;
    const { booking } = bookingOfSubject({ seed: 9, gallerySeed: 1 }, i, { galleryIndex: gi, profile });
    const keys = probeIndexKeys(booking.fingers.filter((f): f is CapturedFinger => f.status === 'captured'));
    const index = await gallery.readIndex([...new Set(keys.flatMap((k) => k.entries.map((e) => e.key)))]);
    const mate = galleryNumber(subjects[gi]!.identity.subjectId);
    for (const [name, ranked] of [
      ['plain', rankByRotationVote(keys, index)],
      ['weighted', weightedVote(keys, index)],
      ['old', plainSizeWeightedVote(keys, index)],
    ] as const) {
      const rank = ranked.findIndex(([s]) => s === mate) + 1;
      if (rank > 0 && rank <= 20) within[name][0]!++;
      if (rank > 0 && rank <= 200) within[name][1]!++;
    }
  }
  console.log(
    `${N} identities, ${profile}: mate in top 20 / top 200 of ${M}: rotation vote ${within.plain.join(' / ')}; ` +
      `weighted (${process.env.MARGIN === '1' ? 'fullest bin above the next' : 'fullest bin'}) ${within.weighted.join(' / ')}; ` +
      `the size-weighted vote without rotation (replaced) ${within.old.join(' / ')}`,
  );
}
