/**
 * Tenprint 1:N benchmark against DynamoDB Local: the match Lambda's own search (`searchBooking`) with
 * the real DynamoDB adapter (`dynamoGalleryReader`), on a gallery seeded on a held-out seed.
 *
 *   npx tsx bench/biometrics/one-to-many.ts [--gallery 10000] [--probes 300]
 *   npm run bench:biometrics -- --one-to-many [--gallery N] [--probes P]   (1:1 + this, report)
 *
 * Starts DynamoDB Local (Java), creates the gallery table from functions/definitions.ts, seeds `gallery`
 * identities with `seedGallery` on GALLERY_SEED, then runs `probes` searches one after the other: a
 * third mated (as in NIST FpVTE), each with a subject profile drawn from SUBJECT_PROFILES, two thirds
 * unmated (strangers, same profile mix). Stops DynamoDB Local at the end.
 *
 * Reads are counted at the script level: the GalleryReader is wrapped (keys asked for, buckets and
 * postings returned, subjects read), and a middleware on the SDK client asks DynamoDB Local for
 * ReturnConsumedCapacity=TOTAL on the search's BatchGetItem and Query calls and records the read
 * units it reports and the bytes of each HTTP response body. Neither changes what the search does.
 */
import '#local/powertools-env';
import { cpus, loadavg } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '#local/emulators/dynamodb-local';
import { useLocalCredentials } from '#local/emulators/local-credentials';
import { createGalleryTable } from './gallery-table';
import { DEFAULT_SHORTLIST_SIZE, probeIndexKeys, rankByRotationVote } from '#core/biometrics/search';
import { galleryNumber, type Posting } from '#core/biometrics/index-postings';
import type { GalleryReader, GalleryReadStats } from '#core/ports';
import type { CapturedFinger } from '#core/schemas';
import { DEFAULT_THRESHOLDS } from '#core/biometrics/fusion';
import { createRng } from '#simulation/random';
import { bookingOfSubject, SUBJECT_PROFILES, type SubjectProfile } from '#simulation/synthetic-bookings';
import { syntheticPerson } from '#simulation/synthetic-gallery';
import { ENV } from '#runtime/environment-variables';
import { percentiles, wilsonInterval } from '#bench/common/metrics';

export interface OneToManyConfig {
  /**
   * Seed of the gallery. 20140702: held out, used nowhere else in the repository (calibration
   * 20081027, 1:1 benchmark 20130122, tests and scripts 1, 2, 9 and 90,000+).
   */
  gallerySeed: number;
  /** Seed of the booking (probe) stream and of the draws of mates and profiles; also held out. */
  bookingSeed: number;
  /** Identities in the gallery: each size in turn, ascending, the table grown from one to the next. */
  galleries: number[];
  /** Searches: a third mated, the rest unmated. */
  probes: number;
  /** Untimed unmated searches run first, so the timings are warm. */
  warmup: number;
}

export const DEFAULT_ONE_TO_MANY: OneToManyConfig = {
  gallerySeed: 20_140_702,
  bookingSeed: 20_140_703,
  galleries: [10_000],
  probes: 300,
  warmup: 5,
};

/** Seeds that other code tunes or tests on; the benchmark refuses them. */
const USED_SEEDS = [1, 2, 9, 20_081_027, 20_130_122];

const TABLE_PREFIX = 'sc-bench';

export interface SearchRecord {
  index: number;
  mated: boolean;
  profile: SubjectProfile;
  /** FIN of the true mate (mated searches only). */
  mateId: string | null;
  outcome: 'match' | 'inconclusive' | 'no-match';
  /** Best candidate's fused score (0 when there is none). */
  bestScore: number;
  bestId: string | null;
  /** Rank of the mate among the returned candidates (1 = best), null if not among them. */
  mateRank: number | null;
  mateScore: number | null;
  /** Mate in any index bucket the search read / among the subjects verified. */
  mateRetrieved: boolean;
  mateShortlisted: boolean;
  /** Rank of the mate in the index vote (1 = first), null if not retrieved. */
  mateVoteRank: number | null;
  indexKeysQueried: number;
  candidatesRetrieved: number;
  candidatesVerified: number;
  bucketsReturned: number;
  postingsRead: number;
  /** Bytes of the items read, by DynamoDB's sizing rules (the adapter's itemSize): index buckets, candidates. */
  indexBytes: number;
  candidateBytes: number;
  /** HTTP response bytes of the search's DynamoDB calls. */
  responseBytes: number;
  /** Read units DynamoDB Local reported (ReturnConsumedCapacity=TOTAL); null if it reported none. */
  readUnits: number | null;
  verificationRounds: number;
  requests: number;
  latencyMs: number;
}

export interface OperatingPointResult {
  label: string;
  threshold: number;
  /** Mated searches whose mate is not the top candidate at or above the threshold. */
  fnirMisses: number;
  fnir: number;
  fnirCi95: [number, number];
  /** Unmated searches whose best candidate is at or above the threshold. */
  fpirHits: number;
  fpir: number;
  /** 95% upper bounds of the FPIR: Wilson and (for 0 observed) the rule of three. */
  fpirWilsonUpper: number;
  fpirRuleOfThree: number | null;
  /** Mated searches whose top candidate at or above the threshold is someone else. */
  misidentified: number;
}

export interface ProfileSummary {
  profile: SubjectProfile | 'all';
  mated: number;
  rank1: number;
  retrieved: number;
  shortlisted: number;
  /** Mated searches of this profile that are hits at each operating point (same order as `points`). */
  hits: number[];
}

export interface Distribution {
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

/** How often the mate is among the top `shortlist` of the index vote, and what share of the gallery that is. */
export interface HitRateAtPenetration {
  shortlist: number;
  penetration: number;
  hitRate: number;
}

/** The results at one gallery size. */
export interface OneToManyResult {
  /** The run's configuration and this result's gallery size. */
  config: OneToManyConfig & { gallery: number };
  /** Seeding up to this size (from the previous size, when the run grows the table). */
  seeding: { identities: number; templates: number; indexKeyWrites: number; seconds: number };
  searches: SearchRecord[];
  mated: number;
  unmated: number;
  /** FNIR at FPIR 1e-3, then the pipeline's thresholds (match, inconclusive). */
  points: OperatingPointResult[];
  /** Whether FPIR 1e-3 is resolvable: at least 1,000 unmated searches. */
  fpirResolvable: boolean;
  profiles: ProfileSummary[];
  unmatedBest: Distribution;
  latency: Distribution;
  reads: {
    keys: Distribution;
    buckets: Distribution;
    postings: Distribution;
    candidates: Distribution;
    /** Bytes of the items read (index + candidates), by DynamoDB's sizing rules. */
    bytes: Distribution;
    indexBytes: Distribution;
    candidateBytes: Distribution;
    responseBytes: Distribution;
    readUnits: Distribution | null;
    requests: Distribution;
    rounds: Distribution;
  };
  penetration: { verified: Distribution; retrieved: Distribution };
  /** Index hit rate against penetration (mated searches, mate's rank in the vote). */
  hitRates: HitRateAtPenetration[];
  /** Largest index bucket met by any search, in postings. */
  largestBucket: number;
  machine: { cpu: string; cores: number; node: string; loadBefore: number[]; loadAfter: number[] };
  seconds: number;
  /** ISO time the run ended (absent in results saved before it was recorded). */
  finishedAt?: string;
}

function distribution(values: number[]): Distribution {
  const [p50, p95, max] = percentiles(values, [0.5, 0.95, 1]) as [number, number, number];
  return { mean: values.reduce((s, v) => s + v, 0) / Math.max(1, values.length), p50, p95, max };
}

/** Per-search read accounting, filled by the wrapped reader, the adapter's read hook and the SDK middleware. */
interface ReadLog {
  keys: string[];
  buckets: Map<string, Posting[]>;
  candidateIds: string[];
  postings: number;
  indexBytes: number;
  candidateBytes: number;
  responseBytes: number;
  readUnits: number;
  reportedUnits: boolean;
  requests: number;
}

function emptyLog(): ReadLog {
  return {
    keys: [],
    buckets: new Map(),
    candidateIds: [],
    postings: 0,
    indexBytes: 0,
    candidateBytes: 0,
    responseBytes: 0,
    readUnits: 0,
    reportedUnits: false,
    requests: 0,
  };
}

/** The adapter's reader, wrapped to record what each search asked for and got. */
function instrumentedReader(inner: GalleryReader, log: () => ReadLog): GalleryReader {
  return {
    async readIndex(keys) {
      const buckets = await inner.readIndex(keys);
      const l = log();
      l.keys = keys;
      l.buckets = buckets;
      for (const postings of buckets.values()) l.postings += postings.length;
      return buckets;
    },
    async readCandidates(subjectIds) {
      log().candidateIds.push(...subjectIds);
      return inner.readCandidates(subjectIds);
    },
    readIdentity: (subjectId) => inner.readIdentity(subjectId),
  };
}

/** Shortlist lengths at which the index hit rate is reported. */
const HIT_RATE_SHORTLISTS = [1, 5, 20, 50, 100, 200, 500];

function parseArgs(argv: string[], base: OneToManyConfig): OneToManyConfig {
  const config = { ...base };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = Number(argv[i + 1]);
    if (arg === '--gallery') {
      const sizes = String(argv[i + 1])
        .split(',')
        .map(Number);
      if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
        throw new Error('--gallery needs positive integers, comma-separated (e.g. 10000,30000,100000)');
      }
      config.galleries = [...new Set(sizes)].sort((a, b) => a - b);
      i++;
    } else if (arg === '--probes') {
      if (!Number.isInteger(value) || value < 1) throw new Error(`${arg} needs a positive integer`);
      config.probes = value;
      i++;
    }
  }
  return config;
}

export function oneToManyConfigFromArgs(argv: string[]): OneToManyConfig {
  return parseArgs(argv, DEFAULT_ONE_TO_MANY);
}

/** Mated searches first get distinct gallery people and profiles, then the order is shuffled. */
function plan(
  config: OneToManyConfig & { gallery: number },
): Array<{ galleryIndex: number | null; profile: SubjectProfile }> {
  const rng = createRng(config.bookingSeed).fork(`bench-one-to-many:${config.gallery}`);
  const mated = Math.round(config.probes / 3);
  const people = new Set<number>();
  while (people.size < Math.min(mated, config.gallery)) people.add(rng.int(0, config.gallery - 1));
  const subjects = [
    ...[...people].map((galleryIndex) => ({ galleryIndex, profile: rng.weighted(SUBJECT_PROFILES) })),
    ...Array.from({ length: config.probes - people.size }, () => ({
      galleryIndex: null,
      profile: rng.weighted(SUBJECT_PROFILES),
    })),
  ];
  for (let i = subjects.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [subjects[i], subjects[j]] = [subjects[j]!, subjects[i]!];
  }
  return subjects;
}

/** A hit at a threshold: the mate is the top candidate and scores at or above it. */
const isHit = (s: SearchRecord, threshold: number) =>
  s.mated && s.mateRank === 1 && s.mateScore !== null && s.mateScore >= threshold;

function operatingPoint(label: string, threshold: number, searches: SearchRecord[]): OperatingPointResult {
  const mated = searches.filter((s) => s.mated);
  const unmated = searches.filter((s) => !s.mated);
  const fnirMisses = mated.filter((s) => !isHit(s, threshold)).length;
  const fpirHits = unmated.filter((s) => s.bestScore > 0 && s.bestScore >= threshold).length;
  return {
    label,
    threshold,
    fnirMisses,
    fnir: fnirMisses / mated.length,
    fnirCi95: wilsonInterval(fnirMisses, mated.length),
    fpirHits,
    fpir: fpirHits / unmated.length,
    fpirWilsonUpper: wilsonInterval(fpirHits, unmated.length)[1],
    fpirRuleOfThree: fpirHits === 0 ? 3 / unmated.length : null,
    misidentified: mated.filter(
      (s) => s.bestId !== null && s.bestId !== s.mateId && s.bestScore > 0 && s.bestScore >= threshold,
    ).length,
  };
}

/**
 * The threshold for FPIR <= target: the smallest observed best score (or just above the highest
 * unmated one) at which at most floor(target x unmated) unmated searches have a candidate.
 */
function thresholdAtFpir(searches: SearchRecord[], target: number): number {
  const unmated = searches
    .filter((s) => !s.mated)
    .map((s) => s.bestScore)
    .filter((v) => v > 0)
    .sort((a, b) => b - a);
  const allowed = Math.floor(target * searches.filter((s) => !s.mated).length);
  // Scores of the unmated searches that may be at or above the threshold: the top `allowed`.
  const above = unmated[allowed];
  if (above === undefined) return Number.MIN_VALUE; // fewer unmated candidates than allowed: any score > 0
  // Just above the (allowed + 1)-th highest unmated score; scores are stored with two decimals.
  return Math.round(above * 100 + 1) / 100;
}

export async function runOneToMany(
  config: OneToManyConfig,
  log: (line: string) => void,
  options: { dynamodbEndpoint?: string } = {},
): Promise<OneToManyResult[]> {
  if (USED_SEEDS.includes(config.gallerySeed) || USED_SEEDS.includes(config.bookingSeed)) {
    throw new Error(`seeds ${USED_SEEDS.join(', ')} are used elsewhere; the benchmark needs held-out data`);
  }
  useLocalCredentials();
  let local: RunningDynamoDbLocal | undefined;
  try {
    let endpoint = options.dynamodbEndpoint;
    if (!endpoint) {
      log('1:N: starting DynamoDB Local ...');
      local = await startDynamoDbLocal();
      endpoint = local.endpoint;
    }
    // The adapter's client reads the endpoint when it is first built, below.
    process.env[ENV.dynamodbEndpoint] = endpoint;
    const [{ seedGallery }, { dynamoGalleryReader }, { searchBooking }, { dynamoDocumentClient }] = await Promise.all([
      import('#simulation/gallery-seeder'),
      import('#adapters/gallery-store'),
      import('#functions/match/search-booking'),
      import('#runtime/clients'),
    ]);
    const tableName = await createGalleryTable(endpoint, TABLE_PREFIX);

    // Read accounting: the wrapped reader, the adapter's read hook and a middleware on its client.
    let current: ReadLog | null = null;
    const logOf = () => (current ??= emptyLog());
    const client = dynamoDocumentClient();
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as Record<string, unknown>;
        if (current) input.ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        if (current) {
          const l = current;
          l.requests++;
          const output = result.output as { ConsumedCapacity?: unknown };
          const consumed = output.ConsumedCapacity;
          const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Array<{
            CapacityUnits?: number;
          }>;
          for (const c of units) {
            if (typeof c.CapacityUnits === 'number') {
              l.readUnits += c.CapacityUnits;
              l.reportedUnits = true;
            }
          }
        }
        return result;
      },
      { step: 'initialize', name: 'benchReadAccounting' },
    );
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const response = result.response as { headers?: Record<string, string> } | undefined;
        const length = Number(response?.headers?.['content-length']);
        if (current && Number.isFinite(length)) current.responseBytes += length;
        return result;
      },
      { step: 'deserialize', name: 'benchResponseBytes', priority: 'low' },
    );
    const onRead = (stats: GalleryReadStats) => {
      if (!current) return;
      // The match's identity record is counted with the candidates: both are subject items.
      if (stats.kind === 'index') current.indexBytes += stats.bytes;
      else current.candidateBytes += stats.bytes;
    };
    const reader = instrumentedReader(dynamoGalleryReader(tableName, { onRead }), logOf);

    const results: OneToManyResult[] = [];
    let seeded = 0;
    for (const gallery of config.galleries) {
      const started = performance.now();
      const loadBefore = loadavg();
      const sized = { ...config, gallery };
      log(
        `1:N: seeding identities ${seeded.toLocaleString('en-US')}-${(gallery - 1).toLocaleString('en-US')} ` +
          `(gallery seed ${config.gallerySeed}) ...`,
      );
      let lastShown = 0;
      const seeding = await seedGallery({
        tableName,
        start: seeded,
        count: gallery - seeded,
        seed: config.gallerySeed,
        onProgress: (done, total) => {
          const now = performance.now();
          if (now - lastShown > 30_000 || done === total) {
            lastShown = now;
            log(`  seeded ${done}/${total} (${((now - started) / 1000).toFixed(0)} s)`);
          }
        },
      });
      seeded = gallery;
      log(
        `1:N: seeded in ${seeding.seconds.toFixed(1)} s (${seeding.indexKeyWrites.toLocaleString('en-US')} bucket writes)`,
      );

      const subjects = plan(sized);
      const stream = { seed: config.bookingSeed, gallerySeed: config.gallerySeed };
      // Warm-up: unmated searches numbered after the measured ones, not recorded.
      for (let w = 0; w < config.warmup; w++) {
        const { booking } = bookingOfSubject(stream, config.probes + w, { galleryIndex: null, profile: 'good' });
        current = emptyLog();
        await searchBooking(booking, reader);
        current = null;
      }

      log(`1:N at ${gallery.toLocaleString('en-US')}: ${config.probes} searches (${config.warmup} warm-up first) ...`);
      const searches: SearchRecord[] = [];
      let largestBucket = 0;
      const searchStarted = performance.now();
      for (const [index, subject] of subjects.entries()) {
        const { booking } = bookingOfSubject(stream, index, subject);
        const mateId =
          subject.galleryIndex === null
            ? null
            : syntheticPerson(config.gallerySeed, subject.galleryIndex).record.subjectId;
        current = emptyLog();
        const t0 = performance.now();
        const result = await searchBooking(booking, reader);
        const latencyMs = performance.now() - t0;
        const l: ReadLog = current;
        current = null;

        const mateNumber = mateId === null ? null : galleryNumber(mateId);
        let mateRetrieved = false;
        for (const postings of l.buckets.values()) {
          if (postings.length > largestBucket) largestBucket = postings.length;
          if (mateNumber !== null && !mateRetrieved && postings.some((p) => p.subject === mateNumber)) {
            mateRetrieved = true;
          }
        }
        let mateVoteRank: number | null = null;
        if (mateNumber !== null && mateRetrieved) {
          const captured = booking.fingers.filter((f): f is CapturedFinger => f.status === 'captured');
          const ranked = rankByRotationVote(probeIndexKeys(captured), l.buckets);
          mateVoteRank = ranked.findIndex(([subject]) => subject === mateNumber) + 1 || null;
        }
        const best = result.candidates[0];
        const mateAt = mateId ? result.candidates.findIndex((c) => c.subjectId === mateId) : -1;
        searches.push({
          index,
          mated: mateId !== null,
          profile: subject.profile,
          mateId,
          outcome: result.outcome,
          bestScore: best?.score ?? 0,
          bestId: best?.subjectId ?? null,
          mateRank: mateAt >= 0 ? mateAt + 1 : null,
          mateScore: mateAt >= 0 ? result.candidates[mateAt]!.score : null,
          mateRetrieved,
          mateShortlisted: mateId !== null && l.candidateIds.includes(mateId),
          mateVoteRank,
          indexKeysQueried: result.search.indexKeysQueried,
          candidatesRetrieved: result.search.candidatesRetrieved,
          candidatesVerified: result.search.candidatesVerified,
          verificationRounds: result.search.verificationRounds,
          bucketsReturned: l.buckets.size,
          postingsRead: l.postings,
          indexBytes: l.indexBytes,
          candidateBytes: l.candidateBytes,
          responseBytes: l.responseBytes,
          readUnits: l.reportedUnits ? l.readUnits : null,
          requests: l.requests,
          latencyMs,
        });
        if ((index + 1) % 100 === 0) {
          const elapsed = (performance.now() - searchStarted) / 1000;
          log(`  ${index + 1}/${config.probes} searches (${elapsed.toFixed(0)} s)`);
        }
      }
      results.push(summarise(sized, seeding, searches, largestBucket, loadBefore, started));
      log(oneToManyLines(results.at(-1)!).join('\n'));
    }
    return results;
  } finally {
    if (local) {
      await local.stop();
      log('1:N: DynamoDB Local stopped');
    }
  }
}

function summarise(
  config: OneToManyConfig & { gallery: number },
  seeding: OneToManyResult['seeding'],
  searches: SearchRecord[],
  largestBucket: number,
  loadBefore: number[],
  started: number,
): OneToManyResult {
  const mated = searches.filter((s) => s.mated);
  const unmated = searches.filter((s) => !s.mated);
  const points = [
    operatingPoint('FPIR 1e-3', thresholdAtFpir(searches, 1e-3), searches),
    operatingPoint(`match threshold (${DEFAULT_THRESHOLDS.match})`, DEFAULT_THRESHOLDS.match, searches),
    operatingPoint(
      `inconclusive threshold (${DEFAULT_THRESHOLDS.inconclusive})`,
      DEFAULT_THRESHOLDS.inconclusive,
      searches,
    ),
  ];
  const profileNames = Object.keys(SUBJECT_PROFILES) as SubjectProfile[];
  const profiles: ProfileSummary[] = [...profileNames, 'all' as const].map((profile) => {
    const of = mated.filter((s) => profile === 'all' || s.profile === profile);
    return {
      profile,
      mated: of.length,
      rank1: of.filter((s) => s.mateRank === 1).length,
      retrieved: of.filter((s) => s.mateRetrieved).length,
      shortlisted: of.filter((s) => s.mateShortlisted).length,
      hits: points.map((p) => of.filter((s) => isHit(s, p.threshold)).length),
    };
  });
  const reported = searches.filter((s) => s.readUnits !== null).map((s) => s.readUnits as number);
  const cpu = cpus();
  return {
    config,
    seeding,
    searches,
    mated: mated.length,
    unmated: unmated.length,
    points,
    fpirResolvable: unmated.length >= 1_000,
    profiles,
    unmatedBest: distribution(unmated.map((s) => s.bestScore)),
    latency: distribution(searches.map((s) => s.latencyMs)),
    reads: {
      keys: distribution(searches.map((s) => s.indexKeysQueried)),
      buckets: distribution(searches.map((s) => s.bucketsReturned)),
      postings: distribution(searches.map((s) => s.postingsRead)),
      candidates: distribution(searches.map((s) => s.candidatesVerified)),
      bytes: distribution(searches.map((s) => s.indexBytes + s.candidateBytes)),
      indexBytes: distribution(searches.map((s) => s.indexBytes)),
      candidateBytes: distribution(searches.map((s) => s.candidateBytes)),
      responseBytes: distribution(searches.map((s) => s.responseBytes)),
      readUnits: reported.length === searches.length ? distribution(reported) : null,
      requests: distribution(searches.map((s) => s.requests)),
      rounds: distribution(searches.map((s) => s.verificationRounds)),
    },
    penetration: {
      verified: distribution(searches.map((s) => s.candidatesVerified / config.gallery)),
      retrieved: distribution(searches.map((s) => s.candidatesRetrieved / config.gallery)),
    },
    hitRates: HIT_RATE_SHORTLISTS.map((shortlist) => ({
      shortlist,
      penetration: shortlist / config.gallery,
      hitRate:
        mated.filter((s) => s.mateVoteRank !== null && s.mateVoteRank <= shortlist).length / Math.max(1, mated.length),
    })),
    largestBucket,
    machine: {
      cpu: cpu[0]?.model ?? 'unknown',
      cores: cpu.length,
      node: process.version,
      loadBefore,
      loadAfter: loadavg(),
    },
    seconds: (performance.now() - started) / 1000,
    finishedAt: new Date().toISOString(),
  };
}

/** The shortlist size the search verifies (the target: at most 200). */
export const SHORTLIST_SIZE = DEFAULT_SHORTLIST_SIZE;

/** Lines of figures for the console. */
export function oneToManyLines(r: OneToManyResult): string[] {
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  const int = (v: number) => Math.round(v).toLocaleString('en-US');
  const c = r.config;
  const d = (x: Distribution, f: (v: number) => string = int) =>
    `mean ${f(x.mean)}, p50 ${f(x.p50)}, p95 ${f(x.p95)}, max ${f(x.max)}`;
  const lines = [
    `1:N, gallery seed ${c.gallerySeed}, ${int(c.gallery)} identities (seeded in ${r.seeding.seconds.toFixed(1)} s, ` +
      `${int(r.seeding.indexKeyWrites)} index buckets); booking seed ${c.bookingSeed}: ${r.mated} mated, ${r.unmated} unmated searches`,
  ];
  for (const p of r.points) {
    const threshold = p.threshold === Number.MIN_VALUE ? '> 0' : p.threshold.toFixed(2);
    lines.push(
      `  ${p.label}: threshold ${threshold}; FNIR ${pct(p.fnir)} (${p.fnirMisses}/${r.mated}, 95% CI ${pct(p.fnirCi95[0])}-${pct(p.fnirCi95[1])}); ` +
        `FPIR ${pct(p.fpir)} (${p.fpirHits}/${r.unmated}, 95% upper ${pct(p.fpirWilsonUpper)}` +
        `${p.fpirRuleOfThree !== null ? `, rule of three ${pct(p.fpirRuleOfThree)}` : ''}); misidentified ${p.misidentified}`,
    );
  }
  if (!r.fpirResolvable) {
    lines.push(
      `  FPIR 1e-3 is not resolvable with ${r.unmated} unmated searches (needs >= 1,000): the threshold is just above the best unmated score`,
    );
  }
  for (const p of r.profiles) {
    lines.push(
      `  mated ${p.profile}: ${p.mated}; rank-1 ${p.rank1} (${pct(p.rank1 / Math.max(1, p.mated))}); ` +
        `mate retrieved by the index ${p.retrieved}, shortlisted ${p.shortlisted}; hits at ${r.points.map((q, k) => `${q.label} ${p.hits[k]}`).join(', ')}`,
    );
  }
  lines.push(
    `  unmated best score: ${d(r.unmatedBest, (v) => v.toFixed(2))}`,
    `  penetration (verified / gallery): ${d(r.penetration.verified, pct)}; retrieved / gallery: ${d(r.penetration.retrieved, pct)}`,
    `  index hit rate (mate in the vote's top k): ${r.hitRates.map((h) => `k ${h.shortlist} (${pct(h.penetration)} of the gallery) ${pct(h.hitRate)}`).join('; ')}`,
    `  per search: index keys ${d(r.reads.keys)}; buckets returned ${d(r.reads.buckets)}; postings ${d(r.reads.postings)}; ` +
      `candidates verified ${d(r.reads.candidates)}; requests ${d(r.reads.requests)}`,
    `  bytes per search (items read, by DynamoDB's sizing): ${d(r.reads.bytes)}; index ${d(r.reads.indexBytes)}; candidates ${d(r.reads.candidateBytes)}`,
    `  HTTP response bytes ${d(r.reads.responseBytes)}; largest bucket ${int(r.largestBucket)} postings; verification rounds ${d(r.reads.rounds, (v) => v.toFixed(2))}`,
    `  read units per search: ${r.reads.readUnits ? `reported by DynamoDB Local ${d(r.reads.readUnits, (v) => v.toFixed(1))}` : 'not reported by DynamoDB Local'}`,
    `  latency per search (ms, sequential, warm): ${d(r.latency, (v) => v.toFixed(0))}`,
    `  took ${r.seconds.toFixed(1)} s`,
  );
  return lines;
}

/** Where a run's results are kept, so that index.ts can report them without running again. */
export const RESULTS_FILE = 'one-to-many.json';

/** Writes the results (every search included) as JSON into `dir`, formatted by prettier; returns the path. */
export async function saveOneToMany(dir: string, result: OneToManyResult[]): Promise<string> {
  const path = join(dir, RESULTS_FILE);
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(result), { ...options, filepath: path, parser: 'json' }));
  return path;
}

/** Results saved by an earlier run (one per gallery size), or null if there are none in this shape. */
export function loadOneToMany(dir: string): OneToManyResult[] | null {
  const path = join(dir, RESULTS_FILE);
  if (!existsSync(path)) return null;
  const saved = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  // Results saved before the run covered several gallery sizes are a single object: not comparable.
  return Array.isArray(saved) ? (saved as OneToManyResult[]) : null;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runOneToMany(oneToManyConfigFromArgs(process.argv.slice(2)), (line) => console.log(line));
  console.log(
    `wrote ${await saveOneToMany(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'biometrics'), results)}`,
  );
}
