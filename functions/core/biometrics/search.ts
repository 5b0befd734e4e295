import type { GalleryReader } from '#core/ports';
import type { Candidate, CapturedFinger, EnrolledFinger, IdentityRecord, MatchOutcome } from '#core/schemas';
import {
  classifyScore,
  DEFAULT_THRESHOLDS,
  FINGER_NOISE_FLOOR,
  fuseFingerScores,
  type MatchThresholds,
} from './fusion';
import { INDEXED_POSITIONS, probeEntries, type ProbeEntry } from './index-keys';
import { directionDegrees, subjectIdOf, type Posting } from './index-postings';
import { baselineMatcher, type FingerMatcher } from './matcher';

export interface SearchOptions {
  /** Most subjects verified with the matcher, taken from the top of the index vote. @default 200 */
  shortlistSize?: number;
  /**
   * Subjects verified first; the rest of the shortlist is read and verified only when none of
   * these reaches the match threshold. @default 20
   */
  firstRoundSize?: number;
  /** @default DEFAULT_THRESHOLDS */
  thresholds?: MatchThresholds;
  /** @default baselineMatcher */
  matcher?: FingerMatcher;
  /**
   * Runs a step of the search and returns its result, so that a caller can time it (the core knows
   * no timer). 'verification' is one round's matcher comparisons. @default runs the step
   */
  timeStep?: <T>(step: 'verification', run: () => T) => T;
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
    /** Candidate reads: 1 when the first round found a match, 2 when the rest of the shortlist was needed. */
    verificationRounds: number;
    /** Finger comparisons made, over all candidates (the cascade stops most impostors after CASCADE_BARREN_FINGERS). */
    fingersCompared: number;
  };
}

/**
 * At most this many subjects are verified per search, whatever the gallery size: a fixed shortlist
 * keeps the comparisons per search, and so its cost and its impostor chances, constant as N grows.
 * Measured on tuning seeds: a mate printed badly on every finger, or with only two or three poor
 * prints, is in the vote's top 200 far more often than in its top 20 (bench/biometrics/measure-index-recall.ts).
 */
export const DEFAULT_SHORTLIST_SIZE = 200;
/** A good tenprint's mate tops the vote; verifying 20 first spares the other 180 reads for it. */
export const DEFAULT_FIRST_ROUND_SIZE = 20;
export const MAX_CANDIDATES = 5;

/** Scores are stored with two decimals; the outcome is classified on the stored number. */
const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Fingers whose keys are looked up: the probe's captured fingers at INDEXED_POSITIONS; when none of
 * those was captured, every captured finger. The gallery enrols INDEXED_POSITIONS, so such a probe
 * only finds subjects in a gallery that also indexed the other positions (enrolmentEntries takes any
 * position); against the default gallery it gets no candidates and ends as 'no-match'.
 */
export function searchFingers(probe: CapturedFinger[]): CapturedFinger[] {
  const captured = probe.filter((finger) => finger.status === 'captured' && finger.template.minutiae.length > 0);
  const indexed = captured.filter((finger) => INDEXED_POSITIONS.includes(finger.position));
  return indexed.length > 0 ? indexed : captured;
}

/**
 * Width of a rotation bin, degrees. The same finger captured twice is turned by one angle, so the
 * pairs a mate shares with the probe all differ in direction by about that angle, while an
 * impostor's chance hits spread over the whole turn. Measured on tuning seeds (10,000 identities;
 * the experiment is in git history, `git show df26d32:scripts/experiments/geo-vote.ts`): 20 and 30
 * degrees rank poor captures' mates about equally, 12 clearly worse (the mate's hits split across
 * bins).
 */
const ROTATION_BIN_DEGREES = 20;
const ROTATION_BINS = 360 / ROTATION_BIN_DEGREES;

/** A probe finger's index lookups. */
export interface ProbeFingerKeys {
  position: number;
  entries: ProbeEntry[];
}

/**
 * The index vote, consistent in rotation. For each probe finger and gallery subject, every key
 * they share casts a vote for the rotation between them (the enrolled pair's direction minus the
 * probe pair's, in ROTATION_BINS bins); the finger's evidence is the fullest bin less one (a single
 * hit is what any subject gets by chance), and a subject's vote is the sum over fingers. A subject
 * counts once per key. Returns gallery numbers with their votes, best first (ties by number), only
 * subjects with a vote above 0.
 */
export function rankByRotationVote(
  probe: readonly ProbeFingerKeys[],
  index: ReadonlyMap<string, readonly Posting[]>,
): Array<[number, number]> {
  const votes = new Map<number, number>();
  for (const { entries } of probe) {
    // Per finger: subject -> slot; counts[slot * ROTATION_BINS + bin]; lastKey[slot] dedupes a key.
    const slots = new Map<number, number>();
    let counts = new Uint16Array(1024 * ROTATION_BINS);
    let lastKey = new Int32Array(1024);
    entries.forEach(({ key, directions }, k) => {
      const postings = index.get(key);
      if (!postings) return;
      for (const { subject, direction } of postings) {
        let slot = slots.get(subject);
        if (slot === undefined) {
          slot = slots.size;
          slots.set(subject, slot);
          if (slot >= lastKey.length) {
            const grownCounts = new Uint16Array(counts.length * 2);
            grownCounts.set(counts);
            counts = grownCounts;
            const grownKeys = new Int32Array(lastKey.length * 2);
            grownKeys.set(lastKey);
            lastKey = grownKeys;
          }
          lastKey[slot] = -1;
        }
        if (lastKey[slot] === k) continue;
        lastKey[slot] = k;
        const enrolled = directionDegrees(direction);
        for (const probed of directions) {
          const turn = (((enrolled - probed) % 360) + 360) % 360;
          const bin = Math.floor(turn / ROTATION_BIN_DEGREES) % ROTATION_BINS;
          const at = slot * ROTATION_BINS + bin;
          counts[at] = Math.min(0xffff, counts[at]! + 1);
        }
      }
    });
    for (const [subject, slot] of slots) {
      let fullest = 0;
      for (let bin = 0; bin < ROTATION_BINS; bin++) fullest = Math.max(fullest, counts[slot * ROTATION_BINS + bin]!);
      if (fullest > 1) votes.set(subject, (votes.get(subject) ?? 0) + fullest - 1);
    }
  }
  return [...votes.entries()].sort(([a, va], [b, vb]) => vb - va || a - b);
}

/** The index lookups of a probe: its searchFingers' probe entries. */
export function probeIndexKeys(probe: CapturedFinger[]): ProbeFingerKeys[] {
  return searchFingers(probe).map((finger) => ({
    position: finger.position,
    entries: probeEntries(finger.position, finger.template),
  }));
}

/**
 * A candidate is dropped, unverified on its other fingers, once this many of its compared fingers in
 * a row from the first carried no evidence (scored at or under FINGER_NOISE_FLOOR). An impostor's
 * finger carries none 99 times in 100, so nearly every impostor stops here, after 3 comparisons
 * instead of up to 10; a mate loses the rest of its comparisons only if its three best-printed
 * indexed fingers all fail, which even poor prints seldom do (a poor genuine finger scores under the
 * floor about 1 time in 10). Measured on tuning seeds: bench/biometrics/measure-index-recall.ts.
 */
export const CASCADE_BARREN_FINGERS = 3;

/**
 * The order in which a probe's fingers are compared: the indexed positions first (they are what
 * the vote ranked the candidate on, and the first ones read), each group best printed first (more
 * minutiae: a poor or partial print keeps fewer), ties by position.
 */
export function comparisonOrder(captured: readonly CapturedFinger[]): CapturedFinger[] {
  const rank = (finger: CapturedFinger) => (INDEXED_POSITIONS.includes(finger.position) ? 0 : 1);
  return [...captured].sort(
    (a, b) => rank(a) - rank(b) || b.template.minutiae.length - a.template.minutiae.length || a.position - b.position,
  );
}

/** One candidate's verification: finger scores as far as the cascade went, fused. */
function verifyCandidate(
  ordered: readonly CapturedFinger[],
  subjectId: string,
  fingers: readonly EnrolledFinger[],
  matcher: FingerMatcher,
): Candidate {
  const fingerScores: Candidate['fingerScores'] = [];
  let evidence = false;
  for (const finger of ordered) {
    const enrolled = fingers.find((f) => f.position === finger.position);
    if (!enrolled) continue;
    const score = round2(matcher.compare(finger.template, enrolled.template));
    fingerScores.push({ position: finger.position, score });
    if (score > FINGER_NOISE_FLOOR) evidence = true;
    else if (!evidence && fingerScores.length >= CASCADE_BARREN_FINGERS) break;
  }
  // Listed by position for the record, whatever order they were compared in.
  fingerScores.sort((a, b) => a.position - b.position);
  return { subjectId, score: round2(fuseFingerScores(fingerScores)), fingerScores };
}

/** The cascade of verifyCandidate over the subjects asked for, in comparisonOrder. */
function verifyCandidates(
  captured: CapturedFinger[],
  wanted: readonly string[],
  records: Array<{ subjectId: string; fingers: EnrolledFinger[] }>,
  matcher: FingerMatcher,
): Candidate[] {
  const ordered = comparisonOrder(captured);
  const asked = new Set(wanted);
  const verified: Candidate[] = [];
  for (const { subjectId, fingers } of records) {
    // Only what was asked for, once: a reader returning more must not widen the search.
    if (!asked.delete(subjectId)) continue;
    verified.push(verifyCandidate(ordered, subjectId, fingers, matcher));
  }
  return verified;
}

/**
 * 1:N search: index keys of the probe -> one index read -> votes per subject (rankByRotationVote)
 * -> the top shortlistSize subjects -> the first firstRoundSize of them read and verified (the
 * probe's captured fingers compared with the candidate's at the same position in comparisonOrder,
 * until CASCADE_BARREN_FINGERS in a row from the first carry no evidence; fused) -> only
 * when none reaches the match threshold, the rest of the shortlist read and verified -> the best
 * candidate classified, and its identity record read when it is a match. Templates of subjects outside the shortlist are never read.
 */
export async function searchGallery(
  probe: CapturedFinger[],
  reader: GalleryReader,
  options: SearchOptions = {},
): Promise<SearchOutcome> {
  const shortlistSize = Math.max(0, Math.floor(options.shortlistSize ?? DEFAULT_SHORTLIST_SIZE));
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const matcher = options.matcher ?? baselineMatcher;
  const timeStep = options.timeStep ?? ((_step, run) => run());

  const probeKeys = probeIndexKeys(probe);
  const keys = [...new Set(probeKeys.flatMap(({ entries }) => entries.map(({ key }) => key)))];
  const index = keys.length > 0 ? await reader.readIndex(keys) : new Map<string, Posting[]>();

  const ranked = rankByRotationVote(probeKeys, index);
  const shortlist = ranked.slice(0, shortlistSize).map(([subject]) => subjectIdOf(subject));

  const firstRound = shortlist.slice(0, Math.max(1, Math.floor(options.firstRoundSize ?? DEFAULT_FIRST_ROUND_SIZE)));
  const captured = probe.filter((finger) => finger.status === 'captured');
  const verified: Candidate[] = [];
  let verificationRounds = 0;
  for (const round of [firstRound, shortlist.slice(firstRound.length)]) {
    if (round.length === 0 || verified.some((candidate) => candidate.score >= thresholds.match)) break;
    verificationRounds++;
    const records = await reader.readCandidates(round);
    verified.push(...timeStep('verification', () => verifyCandidates(captured, round, records, matcher)));
  }
  verified.sort((a, b) => b.score - a.score || (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0));

  const best = verified[0];
  const outcome: MatchOutcome = best ? classifyScore(best.score, thresholds) : 'no-match';
  let identity: IdentityRecord | null = null;
  if (outcome === 'match' && best) {
    identity = await reader.readIdentity(best.subjectId);
    // Fingers without an identity record: the gallery is inconsistent; failing lets the message be retried.
    if (!identity || identity.subjectId !== best.subjectId) {
      throw new Error(`Gallery subject ${best.subjectId} has enrolled fingers but no identity record`);
    }
  }
  return {
    outcome,
    candidates: verified.filter((candidate) => candidate.score > 0).slice(0, MAX_CANDIDATES),
    identity,
    stats: {
      indexKeysQueried: keys.length,
      candidatesRetrieved: ranked.length,
      candidatesVerified: verified.length,
      verificationRounds,
      // Every comparison the cascade made is in a candidate's finger scores.
      fingersCompared: verified.reduce((sum, candidate) => sum + candidate.fingerScores.length, 0),
    },
  };
}
