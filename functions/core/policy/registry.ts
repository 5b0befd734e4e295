import * as z from '#core/zod';
import detainer2012 from './detainer-2012.json';
import eo2017 from './eo-2017.json';
import pep2014 from './pep-2014.json';
import sc2011 from './sc-2011.json';
import { PolicySchema, type Policy } from './policy-schema';

/**
 * The policy files, one per era. A new era is a new JSON file added here; the registry checks that
 * ids are unique and that no two policies are in force on the same day.
 */
const POLICY_FILES: readonly { file: string; data: unknown }[] = [
  { file: 'sc-2011.json', data: sc2011 },
  { file: 'detainer-2012.json', data: detainer2012 },
  { file: 'pep-2014.json', data: pep2014 },
  { file: 'eo-2017.json', data: eo2017 },
];

/** Parses and checks a set of policy files; the result is sorted by effectiveFrom. */
export function loadPolicies(files: readonly { file: string; data: unknown }[]): readonly Policy[] {
  const policies = files.map(({ file, data }) => {
    const parsed = PolicySchema.safeParse(data);
    if (!parsed.success) throw new Error(`Invalid decision policy ${file}:\n${z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
  const sorted = [...policies].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  sorted.forEach((policy, i) => {
    if (sorted.findIndex((other) => other.id === policy.id) !== i) {
      throw new Error(`Decision policy id ${policy.id} is defined twice`);
    }
    const next = sorted[i + 1];
    if (next && (policy.effectiveUntil === null || policy.effectiveUntil >= next.effectiveFrom)) {
      throw new Error(
        `Decision policies ${policy.id} and ${next.id} overlap: ${policy.id} must end before ${next.effectiveFrom}`,
      );
    }
  });
  return Object.freeze(sorted);
}

/** Every decision policy, validated at load, oldest first. */
export const POLICIES: readonly Policy[] = loadPolicies(POLICY_FILES);

/** The policy with this id; throws naming the unknown id and the known ones. */
export function getPolicy(id: string, policies: readonly Policy[] = POLICIES): Policy {
  const policy = policies.find((candidate) => candidate.id === id);
  if (!policy) {
    throw new Error(`Unknown decision policy "${id}"; known policies: ${policies.map((p) => p.id).join(', ')}`);
  }
  return policy;
}

/**
 * The policy that decides a booking: the pinned one when an id is given (a deliberate override, e.g.
 * to re-review old bookings under a new policy, so its dates are not checked), else the one in force
 * on the booking's date. The date is the jail's local calendar date as bookedAt writes it (its
 * first ten characters), compared with effectiveFrom and effectiveUntil, both inclusive.
 */
export function policyInForce(bookedAt: string, pinnedId?: string, policies: readonly Policy[] = POLICIES): Policy {
  if (pinnedId !== undefined) return getPolicy(pinnedId, policies);
  const date = bookedAt.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('policyInForce: bookedAt must be an ISO 8601 date-time');
  const policy = policies.find(
    (candidate) =>
      candidate.effectiveFrom <= date && (candidate.effectiveUntil === null || date <= candidate.effectiveUntil),
  );
  if (policy) return policy;
  const earliest = policies[0];
  if (earliest && date < earliest.effectiveFrom) {
    throw new Error(
      `No decision policy is in force on ${date}: the earliest, ${earliest.id}, takes effect on ${earliest.effectiveFrom}`,
    );
  }
  throw new Error(`No decision policy is in force on ${date}`);
}
