import { describe, expect, it } from 'vitest';
import { itemSize } from '#adapters/item-size';

describe('itemSize', () => {
  it('counts attribute names and values as DynamoDB bills them', () => {
    // Prepare: names 2 + 2 + 6 + 1 + 4; values 'INDEX#k' 7, 'BUCKET' 6, binary set 3 + 2, number 12345 (3 + 1), map.
    const item = {
      pk: 'INDEX#k',
      sk: 'BUCKET',
      blocks: new Set([Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)]),
      n: 12345,
      meta: { a: 'é', b: [true, null] },
    };

    // Act
    const size = itemSize(item);

    // Assess: meta = 3 + (1 + 1 + 2) + (1 + 1 + (3 + 1 + 1 + 1 + 1)).
    expect(size).toBe(2 + 7 + 2 + 6 + 6 + 5 + 1 + 4 + 4 + (3 + 4 + 9));
  });
});
