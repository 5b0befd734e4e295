/**
 * Measures how well the candidate index shortlists the true mate, against an in-memory gallery.
 *
 *   npx tsx bench/biometrics/measure-index-recall.ts [gallerySize=2000] [mated per profile=60] [unmated=300]
 *
 * Gallery: syntheticIdentity(1, i), i < gallerySize. Mated probes: bookingOfSubject (booking seed 9)
 * of gallery person (i * 37) % gallerySize, per subject profile; unmated probes: strangers with good
 * tenprints. Prints, per profile: search outcomes, the rank of the mate in the index vote, keys per
 * finger, subjects the index touched, and time per search; then bucket sizes of the index.
 * Fixed seeds, so every figure but the timings is the same on every run.
 */
import { createInMemoryGallery, type GallerySubject } from '#simulation/in-memory-gallery';
import { enrolmentKeys, INDEXED_POSITIONS } from '#core/biometrics/index-keys';
import { DEFAULT_SHORTLIST_SIZE, probeIndexKeys, rankByRotationVote, searchGallery } from '#core/biometrics/search';
import type { GalleryReader } from '#core/ports';
import { galleryNumber } from '#core/biometrics/index-postings';
import { bookingOfSubject, type SubjectProfile } from '#simulation/synthetic-bookings';
import { syntheticIdentity } from '#simulation/synthetic-gallery';
import type { CapturedFinger, MatchOutcome } from '#core/schemas';

const GALLERY_SEED = 1;
const BOOKING_SEED = 9;
const [gallerySize = 2_000, matedPerProfile = 60, unmatedSearches = 300] = process.argv
  .slice(2)
  .map((arg) => Number(arg));

/** Value at quantile q (nearest rank). */
function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

function summary(values: number[], digits = 0): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : '-');
  return `p10 ${f(quantile(values, 0.1))}, p50 ${f(quantile(values, 0.5))}, p90 ${f(quantile(values, 0.9))}, max ${f(quantile(values, 1))}`;
}

const share = (count: number, total: number) =>
  `${count}/${total} (${((100 * count) / Math.max(1, total)).toFixed(0)}%)`;

function capturedOf(fingers: ReturnType<typeof bookingOfSubject>['booking']['fingers']): CapturedFinger[] {
  return fingers.filter((f): f is CapturedFinger => f.status === 'captured');
}

async function main(): Promise<void> {
  const builtAt = performance.now();
  const subjects: GallerySubject[] = Array.from({ length: gallerySize }, (_, i) => {
    const id = syntheticIdentity(GALLERY_SEED, i);
    return {
      identity: { subjectId: id.subjectId, immigration: id.immigration, criminalHistory: id.criminalHistory },
      fingers: id.fingers,
    };
  });
  const generatedAt = performance.now();
  const gallery = createInMemoryGallery(subjects);
  const indexedAt = performance.now();
  console.log(
    `gallery: ${gallerySize} identities (seed ${GALLERY_SEED}), generated in ${((generatedAt - builtAt) / 1000).toFixed(1)} s, ` +
      `indexed in ${((indexedAt - generatedAt) / 1000).toFixed(1)} s; shortlist ${DEFAULT_SHORTLIST_SIZE}`,
  );

  const enrolPerFinger = subjects.flatMap((s) =>
    s.fingers
      .filter((f) => INDEXED_POSITIONS.includes(f.position))
      .map((f) => enrolmentKeys(f.position, f.template).length),
  );
  const bucketSizes = [...gallery.buckets.values()].map((b) => new Set(b).size);
  const postings = bucketSizes.reduce((a, b) => a + b, 0);
  console.log(`enrolment keys per indexed finger: ${summary(enrolPerFinger)}`);
  console.log(
    `index: ${gallery.buckets.size} buckets, ${postings} postings; bucket size ${summary(bucketSizes)}, ` +
      `p99 ${quantile(bucketSizes, 0.99)}; posting-weighted p50 ${quantile(
        bucketSizes.flatMap((n) => Array<number>(n).fill(n)),
        0.5,
      )}`,
  );

  const profiles: Array<SubjectProfile | 'unmated'> = ['good', 'missingFinger', 'worn', 'poor', 'unmated'];
  for (const profile of profiles) {
    const mated = profile !== 'unmated';
    const searches = mated ? matedPerProfile : unmatedSearches;
    const outcomes: Record<MatchOutcome, number> = { match: 0, inconclusive: 0, 'no-match': 0 };
    const ranks: number[] = [];
    const probeKeysPerFinger: number[] = [];
    const touched: number[] = [];
    const times: number[] = [];
    const bestScores: number[] = [];
    let wrongMatch = 0;
    let mateFirst = 0;
    for (let i = 0; i < searches; i++) {
      const galleryIndex = mated ? (i * 37) % gallerySize : null;
      const { booking } = bookingOfSubject({ seed: BOOKING_SEED, gallerySeed: GALLERY_SEED }, mated ? i : 10_000 + i, {
        galleryIndex,
        profile: mated ? profile : 'good',
      });
      const probe = capturedOf(booking.fingers);
      const mateId = galleryIndex === null ? null : subjects[galleryIndex]!.identity.subjectId;

      const startedAt = performance.now();
      const result = await searchGallery(probe, gallery);
      times.push(performance.now() - startedAt);
      outcomes[result.outcome]++;
      touched.push(result.stats.candidatesRetrieved);
      bestScores.push(result.candidates[0]?.score ?? 0);
      if (result.outcome === 'match' && result.identity?.subjectId !== mateId) wrongMatch++;
      if (mateId !== null && result.candidates[0]?.subjectId === mateId) mateFirst++;

      // The mate's rank in the index vote (Infinity: the index never returned it).
      const perFinger = probeIndexKeys(probe);
      probeKeysPerFinger.push(...perFinger.map((f) => f.entries.length));
      if (mateId !== null) {
        const keys = [...new Set(perFinger.flatMap((f) => f.entries.map((e) => e.key)))];
        const ranked = rankByRotationVote(perFinger, await (gallery as GalleryReader).readIndex(keys));
        const mateNumber = galleryNumber(mateId);
        const rank = ranked.findIndex(([subject]) => subject === mateNumber);
        ranks.push(rank < 0 ? Infinity : rank + 1);
      }
    }
    console.log(`\n== ${profile} (${searches} searches)`);
    console.log(
      `outcomes: match ${outcomes.match}, inconclusive ${outcomes.inconclusive}, no-match ${outcomes['no-match']}; ` +
        `matches with the wrong subject ${wrongMatch}` +
        (mated ? `; mate is the best candidate ${share(mateFirst, searches)}` : ''),
    );
    if (mated) {
      const within = (n: number) => ranks.filter((r) => r <= n).length;
      console.log(
        `mate's rank in the vote: p50 ${quantile(ranks, 0.5)}, p90 ${quantile(ranks, 0.9)}; ` +
          `in top ${DEFAULT_SHORTLIST_SIZE} ${share(within(DEFAULT_SHORTLIST_SIZE), searches)}, ` +
          `top 100 ${share(within(100), searches)}, top 200 ${share(within(200), searches)}, ` +
          `not returned ${ranks.filter((r) => r === Infinity).length}`,
      );
    } else {
      console.log(`best candidate's score: ${summary(bestScores, 1)}`);
    }
    console.log(`probe keys per searched finger: ${summary(probeKeysPerFinger)}`);
    console.log(`subjects touched per search: ${summary(touched)}`);
    console.log(`time per search, ms: ${summary(times, 1)}`);
  }

  // The first search of a gallery subject pays the matcher's one-off preparation of its templates;
  // the same good tenprints again show the steady-state cost.
  const warm: number[] = [];
  for (let i = 0; i < matedPerProfile; i++) {
    const { booking } = bookingOfSubject({ seed: BOOKING_SEED, gallerySeed: GALLERY_SEED }, i, {
      galleryIndex: (i * 37) % gallerySize,
      profile: 'good',
    });
    const probe = capturedOf(booking.fingers);
    const startedAt = performance.now();
    await searchGallery(probe, gallery);
    warm.push(performance.now() - startedAt);
  }
  console.log(`\ngood tenprints searched again (templates prepared), ms: ${summary(warm, 1)}`);
}

await main();
