import { seedGallery } from '#simulation/gallery-seeder';
import { activeCases, awaitTransitions, requestReviews, type Transition } from '#cli/ops/review-runner';
import { mapWithConcurrency } from '#runtime/concurrency';
import type { RecordType } from '#core/schemas';
import { NATIONAL_MATCH_SHARE, syntheticBooking, type SubjectProfile } from '#simulation/synthetic-bookings';
import { syntheticPerson } from '#simulation/synthetic-gallery';
import { getBooking, postBooking } from './api-client';
import { progressBar } from '#cli/progress';
import type { LocalPipeline } from '#local/local-pipeline';

export interface DemoOptions {
  gallerySize: number;
  bookings: number;
  gallerySeed: number;
  bookingSeed: number;
  matedShare: number;
  /** Bookings in flight at once from the simulated jails. */
  submitConcurrency: number;
  timeoutSeconds: number;
  progress: boolean;
  /** After the records, re-decide them all under this policy (sc-pipeline review) and count the transitions. */
  reviewPolicy?: string;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  gallerySize: 2000,
  bookings: 500,
  gallerySeed: 1,
  bookingSeed: 2,
  matedShare: NATIONAL_MATCH_SHARE,
  submitConcurrency: 8,
  timeoutSeconds: 600,
  progress: true,
};

export interface DemoReport {
  gallery: { identities: number; seedSeconds: number };
  submitted: number;
  accepted: number;
  records: number;
  missing: string[];
  byType: Record<RecordType, number>;
  /** Bookings whose subject is enrolled (ground truth), and what the search made of them. */
  mated: { total: number; matched: number; inconclusive: number; missed: number; wrongSubject: number };
  unmated: { total: number; falseMatches: number; inconclusive: number };
  profiles: Record<SubjectProfile, number>;
  /** The review run under DemoOptions.reviewPolicy, when asked for. */
  review?: { policyId: string; cases: number; transitions: Transition[]; pending: number; seconds: number };
  /** The run's funnel, to set beside the national one (docs/domain.md §5). */
  funnel: { identified: number; detainers: number; reviews: number; level1: number };
  pipelineSeconds: number;
  bookingsPerSecond: number;
}

const noProgress = { update: () => undefined, finish: () => undefined };

/** Status polls sent at once (the oldest pending bookings), and the pause between two rounds. */
const STATUS_POLL_CHUNK = 8;
const STATUS_POLL_INTERVAL_MS = 1_000;

/**
 * The main job on the local pipeline: seed a gallery, submit synthetic bookings through the API as
 * jails would, wait for every record and count them.
 */
export async function runDemo(pipeline: LocalPipeline, options: DemoOptions): Promise<DemoReport> {
  const bar = (label: string, total: number) => (options.progress ? progressBar(label, total) : noProgress);

  const seedBar = bar('Seeding gallery', options.gallerySize);
  const seeded = await seedGallery({
    tableName: pipeline.resources.tables.gallery,
    count: options.gallerySize,
    seed: options.gallerySeed,
    onProgress: (done) => seedBar.update(done),
  });
  seedBar.finish();

  const bookings = Array.from({ length: options.bookings }, (_, index) =>
    syntheticBooking(
      {
        seed: options.bookingSeed,
        gallerySeed: options.gallerySeed,
        gallerySize: options.gallerySize,
        matedShare: options.matedShare,
      },
      index,
    ),
  );

  const started = performance.now();
  const submitBar = bar('Submitting bookings', bookings.length);
  let submitted = 0;
  const answers = await mapWithConcurrency(bookings, options.submitConcurrency, async ({ booking }) => {
    const answer = await postBooking(pipeline.apiUrl, booking);
    submitBar.update(++submitted);
    return answer.status;
  });
  submitBar.finish();

  const recordsBar = bar('Waiting for records', bookings.length);
  const records = new Map<
    string,
    { type: RecordType; subjectId: string | null; outcome: string; level: string | null }
  >();
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const poll = async ({ booking }: (typeof bookings)[number]): Promise<boolean> => {
    const answer = await getBooking(pipeline.apiUrl, booking.submissionId);
    const record = answer.body.record;
    if (answer.status !== 200 || !record) return false;
    records.set(booking.submissionId, {
      type: record.type,
      subjectId: record.match.subjectId,
      outcome: record.match.outcome,
      level: 'level' in record ? (record.level ?? null) : null,
    });
    return true;
  };
  while (records.size < bookings.length && Date.now() < deadline) {
    // Polled as a jail's system polls, oldest first and a few at a time: bookings are decided
    // roughly in the order they came, so a round goes on while the oldest are decided and stops at
    // a chunk still pending. Polling every pending booking each round would make status polls (real
    // function invocations) take the cores the searches need.
    const pending = bookings.filter(({ booking }) => !records.has(booking.submissionId));
    for (let i = 0; i < pending.length; i += STATUS_POLL_CHUNK) {
      const decided = await mapWithConcurrency(pending.slice(i, i + STATUS_POLL_CHUNK), STATUS_POLL_CHUNK, poll);
      if (decided.some((done) => !done)) break;
    }
    recordsBar.update(records.size);
    if (records.size < bookings.length) await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_INTERVAL_MS));
  }
  recordsBar.finish();
  const pipelineSeconds = (performance.now() - started) / 1000;

  const byType: Record<RecordType, number> = {
    detainer: 0,
    'discretion-review': 0,
    'biometric-verification': 0,
    'no-action': 0,
  };
  const mated = { total: 0, matched: 0, inconclusive: 0, missed: 0, wrongSubject: 0 };
  const unmated = { total: 0, falseMatches: 0, inconclusive: 0 };
  const profiles: Record<SubjectProfile, number> = { good: 0, missingFinger: 0, worn: 0, poor: 0 };
  for (const { booking, truth } of bookings) {
    profiles[truth.profile]++;
    const record = records.get(booking.submissionId);
    if (record) byType[record.type]++;
    if (truth.galleryIndex !== null) {
      mated.total++;
      if (!record) continue;
      if (record.outcome === 'match') mated.matched++;
      else if (record.outcome === 'inconclusive') mated.inconclusive++;
      else mated.missed++;
      const expected = syntheticPerson(options.gallerySeed, truth.galleryIndex).record.subjectId;
      if (record.outcome === 'match' && record.subjectId !== expected) mated.wrongSubject++;
    } else {
      unmated.total++;
      if (record?.outcome === 'match') unmated.falseMatches++;
      if (record?.outcome === 'inconclusive') unmated.inconclusive++;
    }
  }

  const review = options.reviewPolicy
    ? await reviewAll(pipeline, options.reviewPolicy, options.timeoutSeconds)
    : undefined;

  return {
    ...(review ? { review } : {}),
    gallery: { identities: seeded.identities, seedSeconds: seeded.seconds },
    submitted: bookings.length,
    accepted: answers.filter((status) => status === 202).length,
    records: records.size,
    missing: bookings.map(({ booking }) => booking.submissionId).filter((id) => !records.has(id)),
    byType,
    mated,
    unmated,
    profiles,
    funnel: funnelOf([...records.values()]),
    pipelineSeconds,
    bookingsPerSecond: records.size / pipelineSeconds,
  };
}

/** Identified (a match), detainers, reviews among them, and matches at offense Level 1. */
function funnelOf(records: Array<{ type: RecordType; outcome: string; level: string | null }>): DemoReport['funnel'] {
  const identified = records.filter((r) => r.outcome === 'match');
  return {
    identified: identified.length,
    detainers: identified.filter((r) => r.type === 'detainer').length,
    reviews: identified.filter((r) => r.type === 'discretion-review').length,
    level1: identified.filter((r) => r.level === 'L1').length,
  };
}

/**
 * The national funnel the demo's is set beside (docs/domain.md §5, checked sources): submissions and
 * identified non-citizens 11/2008-6/2011; detainers on matches by 8/2009; Level 1 among the
 * identified in the first year.
 */
export const NATIONAL_FUNNEL = {
  submissions: 9_108_703,
  identified: 597_527,
  detainersOnMatches: { detainers: 16_631, matches: 82_890 },
  level1FirstYear: { level1: 11_000, identified: 111_000 },
} as const;

/** Every active record of the run decided again under `policyId`, through the decisions queue. */
async function reviewAll(
  pipeline: LocalPipeline,
  policyId: string,
  timeoutSeconds: number,
): Promise<NonNullable<DemoReport['review']>> {
  const started = performance.now();
  const table = pipeline.resources.tables.records;
  const cases = await activeCases(table, {});
  await requestReviews(pipeline.resources.queues.decisions.url, cases, policyId, `demo-${Date.now()}`);
  const { transitions, pending } = await awaitTransitions(table, cases, policyId, timeoutSeconds * 1000);
  return {
    policyId,
    cases: cases.length,
    transitions,
    pending: pending.length,
    seconds: (performance.now() - started) / 1000,
  };
}
