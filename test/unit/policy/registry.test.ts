import { describe, expect, it } from 'vitest';
import { PolicySchema, type Policy } from '../../../functions/core/policy/policy-schema';
import { getPolicy, loadPolicies, POLICIES, policyInForce } from '../../../functions/core/policy/registry';
import sc2011 from '../../../functions/core/policy/sc-2011.json';

/** A copy of the sc-2011 file with changes, as another era's file would be. */
function era(changes: Record<string, unknown>): unknown {
  return { ...structuredClone(sc2011), ...changes };
}

describe('POLICIES', () => {
  it('holds sc-2011, validated', () => {
    // Act
    const ids = POLICIES.map((policy) => policy.id);
    // Assess
    expect(ids).toEqual(['sc-2011']);
    expect(() => PolicySchema.parse(POLICIES[0])).not.toThrow();
  });
});

describe('getPolicy', () => {
  it('finds a policy by id', () => {
    // Act
    const policy = getPolicy('sc-2011');
    // Assess
    expect(policy).toMatchObject({ id: 'sc-2011', version: '1.0.0', effectiveFrom: '2008-10-27' });
  });

  it('names the unknown id and the known ones', () => {
    // Act / Assess
    expect(() => getPolicy('pep-2014')).toThrow('Unknown decision policy "pep-2014"; known policies: sc-2011');
  });
});

describe('policyInForce', () => {
  describe.each([
    ['the first day of Secure Communities', '2008-10-27T00:00:00-05:00'],
    ['mid-2011', '2011-06-10T09:30:00-05:00'],
    ['any later date while sc-2011 is the only policy', '2025-01-01T12:00:00Z'],
    // The jail's local date, as bookedAt writes it, is already 10-27 here (UTC is still 10-26).
    ['a local date on the first day', '2008-10-27T02:00:00+09:00'],
  ])('a booking on %s', (_name, bookedAt) => {
    it('is decided by sc-2011', () => {
      // Act
      const policy = policyInForce(bookedAt);
      // Assess
      expect(policy.id).toBe('sc-2011');
    });
  });

  it('refuses a booking before any policy, naming the first one', () => {
    // Act / Assess
    expect(() => policyInForce('2008-10-26T23:00:00-05:00')).toThrow(
      'No decision policy is in force on 2008-10-26: the earliest, sc-2011, takes effect on 2008-10-27',
    );
  });

  it('returns the pinned policy whatever the date, and names an unknown pinned id', () => {
    // Act / Assess
    expect(policyInForce('2005-01-01T00:00:00Z', 'sc-2011').id).toBe('sc-2011');
    expect(() => policyInForce('2011-06-10T09:30:00Z', 'eo-2017')).toThrow(/Unknown decision policy "eo-2017"/);
  });

  it('picks each era by its dates once a later era is added as a file', () => {
    // Prepare: sc-2011 closed the day before a later era starts.
    const policies = loadPolicies([
      { file: 'later.json', data: era({ id: 'later-era', effectiveFrom: '2012-12-21', effectiveUntil: null }) },
      { file: 'sc-2011.json', data: era({ effectiveUntil: '2012-12-20' }) },
    ]);
    // Act
    const before = policyInForce('2012-12-20T23:59:00-06:00', undefined, policies);
    const after = policyInForce('2012-12-21T00:01:00-06:00', undefined, policies);
    // Assess
    expect(policies.map((policy: Policy) => policy.id)).toEqual(['sc-2011', 'later-era']);
    expect(before.id).toBe('sc-2011');
    expect(after.id).toBe('later-era');
  });
});

describe('loadPolicies', () => {
  describe.each<[string, { file: string; data: unknown }[], RegExp]>([
    [
      'overlapping eras',
      [
        { file: 'sc-2011.json', data: era({}) },
        { file: 'later.json', data: era({ id: 'later-era', effectiveFrom: '2012-12-21' }) },
      ],
      /Decision policies sc-2011 and later-era overlap/,
    ],
    [
      'a duplicate id',
      [
        { file: 'a.json', data: era({ effectiveUntil: '2009-12-31' }) },
        { file: 'b.json', data: era({ effectiveFrom: '2010-01-01' }) },
      ],
      /sc-2011 is defined twice/,
    ],
    [
      'a status in no group',
      [
        {
          file: 'bad.json',
          data: era({ statuses: { ...sc2011.statuses, undetermined: [] } }),
        },
      ],
      /Invalid decision policy bad\.json[\s\S]*status undetermined must be in exactly one group/,
    ],
    [
      'a detainer basis that may be empty',
      [
        {
          file: 'bad.json',
          data: era({ detainer: { ...sc2011.detainer, basis: sc2011.detainer.basis.slice(1) } }),
        },
      ],
      /at least one basis box must apply unconditionally/,
    ],
    [
      'forms out of order',
      [
        {
          file: 'bad.json',
          data: era({ detainer: { ...sc2011.detainer, forms: [...sc2011.detainer.forms].reverse() } }),
        },
      ],
      /first form must be in effect[\s\S]*oldest first/,
    ],
    [
      'an unknown form',
      [
        {
          file: 'bad.json',
          data: era({ detainer: { ...sc2011.detainer, forms: [{ ...sc2011.detainer.forms[0], id: 'I-999' }] } }),
        },
      ],
      /detainer\.forms\[0\]\.id/,
    ],
    ['a misspelled field', [{ file: 'bad.json', data: era({ efectiveFrom: '2008-10-27' }) }], /efectiveFrom/],
  ])('rejects %s', (_name, files, message) => {
    it('with a message naming the problem', () => {
      // Act / Assess
      expect(() => loadPolicies(files)).toThrow(message);
    });
  });
});
