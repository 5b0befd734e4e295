import { describe, expect, it } from 'vitest';
import { canonicalJson, inputHash } from '#core/records/input-hash';
import type { MatchResult } from '#core/schemas';
import { candidate, charge, identity, matchResult } from '#test/unit/functions/core/policy/fixtures';

const POLICY = { id: 'sc-2011', version: '1.0.0' };

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    // Prepare
    const a = { b: 1, a: { d: [3, 1, 2], c: 'x' } };
    const b = { a: { c: 'x', d: [3, 1, 2] }, b: 1 };
    // Act / Assess
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,1,2]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('follows JSON.stringify for undefined, null and dates', () => {
    // Act / Assess
    expect(canonicalJson({ a: undefined, b: null, c: [undefined], d: new Date('2011-06-10T00:00:00Z') })).toBe(
      '{"b":null,"c":[null],"d":"2011-06-10T00:00:00.000Z"}',
    );
  });

  it('throws on values JSON cannot represent', () => {
    // Act / Assess
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});

describe('inputHash', () => {
  const base = matchResult({ identity: identity('ewi') });

  it('is a sha256 hex digest, the same for identical inputs', () => {
    // Act
    const first = inputHash(base, POLICY);
    const second = inputHash(structuredClone(base), { ...POLICY });
    // Assess
    expect(first).toMatch(/^[a-f0-9]{64}$/);
    expect(second).toBe(first);
  });

  it('does not depend on key order', () => {
    // Prepare
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as MatchResult;
    // Act / Assess
    expect(inputHash(reordered, POLICY)).toBe(inputHash(base, POLICY));
  });

  it('ignores when the search ran and how long it took (a redelivered search gives the same hash)', () => {
    // Prepare
    const rerun: MatchResult = {
      ...base,
      matchedAt: '2011-06-10T15:05:00.000Z',
      search: { ...base.search, latencyMs: 412, indexKeysQueried: 13 },
    };
    // Act / Assess
    expect(inputHash(rerun, POLICY)).toBe(inputHash(base, POLICY));
  });

  describe.each<[string, MatchResult, typeof POLICY]>([
    ['the outcome', { ...base, outcome: 'inconclusive', identity: null }, POLICY],
    ['a candidate score', { ...base, candidates: [candidate('FIN1000000042', 92.6)] }, POLICY],
    ['a charge', { ...base, booking: { ...base.booking, charges: [charge({ disposition: 'convicted' })] } }, POLICY],
    ['the immigration status', { ...base, identity: identity('lpr') }, POLICY],
    ['the matcher version', { ...base, matcher: { ...base.matcher, version: '1.0.1' } }, POLICY],
    ['the policy version', base, { ...POLICY, version: '1.0.1' }],
    ['the policy id', base, { ...POLICY, id: 'detainer-2012' }],
  ])('a change in %s', (_name, match, policy) => {
    it('changes the hash', () => {
      // Act / Assess
      expect(inputHash(match, policy)).not.toBe(inputHash(base, POLICY));
    });
  });
});
