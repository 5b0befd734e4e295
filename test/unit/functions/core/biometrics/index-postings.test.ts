import { describe, expect, it } from 'vitest';
import {
  decodePostingBlock,
  directionCode,
  directionDegrees,
  encodePostingBlock,
  galleryNumber,
  PostingBlockError,
  subjectIdOf,
} from '#core/biometrics/index-postings';

describe('posting blocks', () => {
  it('round-trip postings sorted by subject, FIN-sized numbers included, one per subject', () => {
    // Prepare
    const postings = [
      { subject: 1_000_004_711, direction: 255 },
      { subject: 0, direction: 3 },
      { subject: 1_000_000_000, direction: 0 },
      { subject: 1_000_004_711, direction: 9 },
      { subject: 9_999_999_999, direction: 128 },
    ];

    // Act
    const block = encodePostingBlock(postings);
    const decoded = decodePostingBlock(block);

    // Assess
    expect(decoded).toEqual([
      { subject: 0, direction: 3 },
      { subject: 1_000_000_000, direction: 0 },
      { subject: 1_000_004_711, direction: 255 },
      { subject: 9_999_999_999, direction: 128 },
    ]);
  });

  it('take about two bytes a posting when subjects are close together', () => {
    // Prepare: every 20th of 10,000 consecutive FINs, as in a bucket of a 10,000-identity gallery.
    const postings = Array.from({ length: 500 }, (_, i) => ({ subject: 1_000_000_000 + 20 * i, direction: i % 256 }));

    // Act
    const block = encodePostingBlock(postings);

    // Assess: the first gap takes 5 bytes, each later one 1, plus a direction byte each.
    expect(block.length).toBe(5 + 1 + 499 * 2);
    expect(decodePostingBlock(block)).toEqual(postings);
  });

  it('append the postings of several blocks to one list', () => {
    const into = decodePostingBlock(encodePostingBlock([{ subject: 5, direction: 1 }]));
    decodePostingBlock(encodePostingBlock([{ subject: 2, direction: 7 }]), into);
    expect(into).toEqual([
      { subject: 5, direction: 1 },
      { subject: 2, direction: 7 },
    ]);
  });

  it.each([
    ['a gap cut short', Uint8Array.of(0x85), /inside a gap/],
    ['a missing direction', Uint8Array.of(0x05), /before a direction/],
    ['a zero gap', Uint8Array.of(0x00, 0x01), /zero gap/],
    ['a gap longer than any gallery number', new Uint8Array(10).fill(0xff), /too long/],
  ])('reject %s', (_name, block, message) => {
    expect(() => decodePostingBlock(block)).toThrow(PostingBlockError);
    expect(() => decodePostingBlock(block)).toThrow(message);
  });

  it('reject a gallery number that is not a safe non-negative integer', () => {
    expect(() => encodePostingBlock([{ subject: -1, direction: 0 }])).toThrow(PostingBlockError);
    expect(() => encodePostingBlock([{ subject: 1.5, direction: 0 }])).toThrow(PostingBlockError);
  });
});

describe('gallery numbers and directions', () => {
  it('turn a FIN into its number and back', () => {
    expect(galleryNumber('FIN1000000123')).toBe(1_000_000_123);
    expect(subjectIdOf(1_000_000_123)).toBe('FIN1000000123');
    expect(subjectIdOf(42)).toBe('FIN0000000042');
  });

  it('code a direction in 256ths of a turn, wrapping at 360 degrees', () => {
    expect(directionCode(0)).toBe(0);
    expect(directionCode(90)).toBe(64);
    expect(directionCode(359.9)).toBe(0);
    expect(directionCode(-90)).toBe(192);
    expect(directionDegrees(64)).toBe(90);
  });
});
