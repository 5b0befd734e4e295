/**
 * Postings of the candidate index in their stored form.
 *
 * A posting says "subject S has this key, and the pair behind it points in direction A". The
 * direction is what lets the search check that a subject's key hits agree on one rotation of the
 * finger (see rankByRotationVote); the subject is the gallery number inside its FIN.
 *
 * A bucket holds one or more blocks. A block is the postings one enrolment wrote to the bucket,
 * sorted by subject: for each, the gap to the previous subject as an unsigned LEB128 varint, then
 * the direction as one byte (1.40625 degrees a step). At 10,000 identities the gaps in a bucket are
 * mostly under 128, so a posting takes about 2 bytes instead of the 14 of a "FIN..." string in a
 * string set; that keeps the largest buckets far from DynamoDB's 400 KB item limit at 100,000
 * identities and is most of what a search reads. Blocks are immutable and stored as members of a
 * binary set, so an enrolment appends with one atomic ADD and writing the same block again (a
 * re-run seed) changes nothing.
 */
export interface Posting {
  /** Gallery number: the digits of the subject's FIN. */
  subject: number;
  /** Direction of the pair, in 256ths of a turn. */
  direction: number;
}

const FIN_PREFIX = 'FIN';
const FIN_DIGITS = 10;
const DIRECTION_STEPS = 256;

export class PostingBlockError extends Error {
  override name = 'PostingBlockError';
}

export function galleryNumber(subjectId: string): number {
  return Number(subjectId.slice(FIN_PREFIX.length));
}

export function subjectIdOf(galleryNumber: number): string {
  return `${FIN_PREFIX}${String(galleryNumber).padStart(FIN_DIGITS, '0')}`;
}

/** A direction in degrees as its byte code (nearest step; 360 wraps to 0). */
export function directionCode(degrees: number): number {
  const turns = (((degrees % 360) + 360) % 360) / 360;
  return Math.round(turns * DIRECTION_STEPS) % DIRECTION_STEPS;
}

export function directionDegrees(code: number): number {
  return (code * 360) / DIRECTION_STEPS;
}

/** One block of postings; a subject listed twice keeps its first direction. */
export function encodePostingBlock(postings: readonly Posting[]): Uint8Array {
  const sorted = [...postings].sort((a, b) => a.subject - b.subject);
  // At most 8 bytes of varint (gallery numbers < 2^53) and one direction byte per posting.
  const out = new Uint8Array(sorted.length * 9);
  let length = 0;
  let previous = -1;
  for (const { subject, direction } of sorted) {
    if (!Number.isSafeInteger(subject) || subject < 0) throw new PostingBlockError('gallery number out of range');
    if (subject === previous) continue;
    // The first gap is counted from -1 so that subject 0 is a gap of 1: a gap is never 0.
    let gap = subject - previous;
    previous = subject;
    while (gap >= 0x80) {
      out[length++] = (gap % 0x80) | 0x80;
      gap = Math.floor(gap / 0x80);
    }
    out[length++] = gap;
    out[length++] = direction & 0xff;
  }
  return out.slice(0, length);
}

/** Reads a block back; appends to `into` when given (a bucket's blocks go to one list). */
export function decodePostingBlock(block: Uint8Array, into: Posting[] = []): Posting[] {
  let previous = -1;
  let i = 0;
  while (i < block.length) {
    let gap = 0;
    let scale = 1;
    for (;;) {
      if (i >= block.length) throw new PostingBlockError('posting block truncated inside a gap');
      const byte = block[i++]!;
      gap += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new PostingBlockError('posting block gap too long');
    }
    if (gap === 0) throw new PostingBlockError('posting block has a zero gap');
    if (i >= block.length) throw new PostingBlockError('posting block truncated before a direction');
    previous += gap;
    into.push({ subject: previous, direction: block[i++]! });
  }
  return into;
}
