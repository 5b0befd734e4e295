import { createHash } from 'node:crypto';
import type { MatchResult } from '#core/schemas';

/**
 * Canonical JSON: object keys sorted (by UTF-16 code unit, as Array.prototype.sort does), no
 * whitespace, array order kept. Follows JSON.stringify otherwise: properties whose value is
 * undefined, a function or a symbol are left out, such array items become null, and toJSON is
 * honoured (a Date becomes its ISO string). Values that JSON cannot represent faithfully
 * (non-finite numbers, bigint) throw instead of being silently changed, since two different inputs
 * must never share a hash.
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value, false);
  if (text === undefined) throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  return text;
}

function serialize(value: unknown, inArray: boolean): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return serialize((value as { toJSON: () => unknown }).toJSON(), inArray);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? 'null' : undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => serialize(item, true)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = serialize(record[key], false);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * The part of a match result that the decision stands on. Everything is kept except `matchedAt`
 * and `search` (when the search ran and how long it took): an SQS redelivery that runs the same
 * search again produces the same result with a new time and latency, and must get the same hash.
 * The matcher (algorithm, version, thresholds) and the per-finger scores stay in: they are the
 * evidence the outcome rests on, and a different matcher is a different input.
 */
export function decisionInputs(match: MatchResult): Omit<MatchResult, 'matchedAt' | 'search'> {
  const { matchedAt: _matchedAt, search: _search, ...inputs } = match;
  return inputs;
}

/**
 * sha256 (hex) of the canonical JSON of the decision's inputs: the match result (see
 * decisionInputs) and the policy's id and version. Identical inputs give the same hash on every
 * machine; the decision time is not an input.
 */
export function inputHash(match: MatchResult, policy: { id: string; version: string }): string {
  const inputs = { match: decisionInputs(match), policy: { id: policy.id, version: policy.version } };
  return createHash('sha256').update(canonicalJson(inputs), 'utf8').digest('hex');
}
