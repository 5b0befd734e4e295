import type { Candidate, CapturedFinger, EnrolledFinger, IdentityRecord, MatchOutcome } from '../schemas';
import { classifyScore, DEFAULT_THRESHOLDS, fuseFingerScores, type MatchThresholds } from './fusion';
import { INDEXED_POSITIONS, probeKeys } from './index-keys';
import { baselineMatcher, type FingerMatcher } from './matcher';

/** The gallery as the search sees it (port; the DynamoDB adapter and an in-memory one implement it). */
export interface GalleryReader {
  /** Index buckets: key -> subject ids enrolled under it (missing keys simply absent). */
  readIndex(keys: string[]): Promise<Map<string, string[]>>;
  /** Identity records and enrolled fingers of the given subjects. */
  readCandidates(subjectIds: string[]): Promise<Array<{ identity: IdentityRecord; fingers: EnrolledFinger[] }>>;
}

export interface SearchOptions {
  /** Subjects verified with the matcher, taken from the top of the index vote. @default 20 */
  shortlistSize?: number;
  /** @default DEFAULT_THRESHOLDS */
  thresholds?: MatchThresholds;
  /** @default baselineMatcher */
  matcher?: FingerMatcher;
}

export interface SearchOutcome {
  outcome: MatchOutcome;
  /** Verified candidates with a fused score above 0, best first, at most MAX_CANDIDATES. */
  candidates: Candidate[];
  /** The best candidate's record when outcome is 'match'; null otherwise. */
  identity: IdentityRecord | null;
  stats: {
    /** Distinct index keys looked up. */
    indexKeysQueried: number;
    /** Distinct subjects the index returned (before the shortlist). */
    candidatesRetrieved: number;
    /** Subjects whose templates were read and compared. */
    candidatesVerified: number;
  };
}

export const DEFAULT_SHORTLIST_SIZE = 20;
export const MAX_CANDIDATES = 5;

/** Scores are stored with two decimals; the outcome is classified on the stored number. */
const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Fingers whose keys are looked up: the probe's captured fingers at INDEXED_POSITIONS; when none of
 * those was captured, every captured finger. The gallery enrols INDEXED_POSITIONS, so such a probe
 * only finds subjects in a gallery that also indexed the other positions (enrolmentKeys takes any
 * position); against the default gallery it gets no candidates and ends as 'no-match'.
 */
export function searchFingers(probe: CapturedFinger[]): CapturedFinger[] {
  const captured = probe.filter((finger) => finger.status === 'captured' && finger.template.minutiae.length > 0);
  const indexed = captured.filter((finger) => INDEXED_POSITIONS.includes(finger.position));
  return indexed.length > 0 ? indexed : captured;
}

/**
 * How much a key hit weighs against the size of its bucket: a key shared by many subjects says little.
 * Measured with scripts/measure-index-recall.ts (2,000 identities, poor mated probes shortlisted in
 * the top 20): size^-0.25 and log(N / size) do equally well and clearly better than size^-0.5;
 * size^-0.25 needs no gallery size, and ranks the same whatever it is.
 */
const BUCKET_WEIGHT_EXPONENT = 0.25;

/**
 * The index vote: every subject the index returned for the probe's keys, with its vote (each key
 * hit weighs bucket size ^ -BUCKET_WEIGHT_EXPONENT, a subject counting once per key), best first
 * (ties by subject id, so the order is deterministic).
 */
export function rankByVote(keys: string[], index: ReadonlyMap<string, readonly string[]>): Array<[string, number]> {
  // One entry per subject; `key` is the last key that counted it, so that a subject listed twice in
  // a bucket counts once. No per-key allocation: a good tenprint reads ~100,000 postings.
  const votes = new Map<string, { vote: number; key: number }>();
  const unique: Array<{ vote: number; key: number }> = [];
  keys.forEach((key, k) => {
    const subjects = index.get(key);
    if (!subjects) return;
    unique.length = 0;
    for (const subjectId of subjects) {
      let entry = votes.get(subjectId);
      if (!entry) votes.set(subjectId, (entry = { vote: 0, key: -1 }));
      if (entry.key === k) continue;
      entry.key = k;
      unique.push(entry);
    }
    if (unique.length === 0) return;
    const weight = unique.length ** -BUCKET_WEIGHT_EXPONENT;
    for (const entry of unique) entry.vote += weight;
  });
  return [...votes.entries()]
    .map(([subjectId, { vote }]): [string, number] => [subjectId, vote])
    .sort(([a, va], [b, vb]) => vb - va || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * 1:N search: index keys of the probe -> one index read -> votes per subject (rankByVote: each key
 * hit weighs less the more subjects share its bucket) -> the top shortlistSize subjects ->
 * one candidate read -> every captured probe finger compared with the candidate's finger at the same
 * position -> fused tenprint score -> the best candidate classified. Templates of subjects outside the
 * shortlist are never read.
 */
export async function searchGallery(
  probe: CapturedFinger[],
  reader: GalleryReader,
  options: SearchOptions = {},
): Promise<SearchOutcome> {
  const shortlistSize = Math.max(0, Math.floor(options.shortlistSize ?? DEFAULT_SHORTLIST_SIZE));
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const matcher = options.matcher ?? baselineMatcher;

  const keys = [...new Set(searchFingers(probe).flatMap((finger) => probeKeys(finger.position, finger.template)))];
  const index = keys.length > 0 ? await reader.readIndex(keys) : new Map<string, string[]>();

  const ranked = rankByVote(keys, index);
  const shortlist = ranked.slice(0, shortlistSize).map(([subjectId]) => subjectId);

  const records = shortlist.length > 0 ? await reader.readCandidates(shortlist) : [];
  const wanted = new Set(shortlist);
  const captured = probe.filter((finger) => finger.status === 'captured');

  const verified: Array<{ candidate: Candidate; identity: IdentityRecord }> = [];
  const seen = new Set<string>();
  for (const { identity, fingers } of records) {
    // Only what was asked for, once: a reader returning more must not widen the search.
    if (!wanted.has(identity.subjectId) || seen.has(identity.subjectId)) continue;
    seen.add(identity.subjectId);
    const fingerScores: Candidate['fingerScores'] = [];
    for (const finger of captured) {
      const enrolled = fingers.find((f) => f.position === finger.position);
      if (!enrolled) continue;
      fingerScores.push({
        position: finger.position,
        score: round2(matcher.compare(finger.template, enrolled.template)),
      });
    }
    const score = round2(fuseFingerScores(fingerScores));
    verified.push({ candidate: { subjectId: identity.subjectId, score, fingerScores }, identity });
  }
  verified.sort(
    (a, b) =>
      b.candidate.score - a.candidate.score ||
      (a.candidate.subjectId < b.candidate.subjectId ? -1 : a.candidate.subjectId > b.candidate.subjectId ? 1 : 0),
  );

  const best = verified[0];
  const outcome: MatchOutcome = best ? classifyScore(best.candidate.score, thresholds) : 'no-match';
  return {
    outcome,
    candidates: verified
      .filter((v) => v.candidate.score > 0)
      .slice(0, MAX_CANDIDATES)
      .map((v) => v.candidate),
    identity: outcome === 'match' && best ? best.identity : null,
    stats: {
      indexKeysQueried: keys.length,
      candidatesRetrieved: ranked.length,
      candidatesVerified: verified.length,
    },
  };
}
