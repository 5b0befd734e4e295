import { describe, expect, it } from 'vitest';
import { PolicySchema, type Policy } from '#core/policy/policy-schema';
import { getPolicy, loadPolicies, POLICIES, policyInForce } from '#core/policy/registry';
import sc2011 from '#core/policy/sc-2011.json';

/** A copy of the sc-2011 file with changes, as another era's file would be. */
function era(changes: Record<string, unknown>): unknown {
  return { ...structuredClone(sc2011), effectiveUntil: null, ...changes };
}

describe('POLICIES', () => {
  it('holds the four eras, validated, oldest first, each ending the day before the next begins', () => {
    // Act
    const ids = POLICIES.map((policy) => policy.id);
    // Assess
    expect(ids).toEqual(['sc-2011', 'detainer-2012', 'pep-2014', 'eo-2017']);
    for (const policy of POLICIES) expect(() => PolicySchema.parse(policy)).not.toThrow();
    POLICIES.slice(1).forEach((policy, i) => {
      const previousEnd = new Date(`${POLICIES[i]!.effectiveUntil}T00:00:00Z`).getTime();
      expect(new Date(`${policy.effectiveFrom}T00:00:00Z`).getTime() - previousEnd).toBe(86_400_000);
    });
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
    expect(() => getPolicy('pep-2015')).toThrow(
      'Unknown decision policy "pep-2015"; known policies: sc-2011, detainer-2012, pep-2014, eo-2017',
    );
  });
});

describe('policyInForce', () => {
  describe.each([
    // docs/domain.md §2: SC from the first deployments (10/27/2008); the detainer guidance of 12/21/2012;
    // PEP's rollout on 7/2/2015; EO 13768 of 1/25/2017 (no later era is modeled).
    ['the first day of Secure Communities', '2008-10-27T00:00:00-05:00', 'sc-2011'],
    ['mid-2011', '2011-06-10T09:30:00-05:00', 'sc-2011'],
    ['the last day before the 2012 guidance', '2012-12-20T23:59:00-06:00', 'sc-2011'],
    ['the day of the 2012 guidance', '2012-12-21T00:01:00-06:00', 'detainer-2012'],
    ['the day before the PEP rollout', '2015-07-01T12:00:00-05:00', 'detainer-2012'],
    ['the PEP rollout', '2015-07-02T08:00:00-05:00', 'pep-2014'],
    ['the day before EO 13768', '2017-01-24T18:00:00-05:00', 'pep-2014'],
    ['the day of EO 13768', '2017-01-25T08:00:00-05:00', 'eo-2017'],
    ['a later date (the last era modeled)', '2025-01-01T12:00:00Z', 'eo-2017'],
    // The jail's local date, as bookedAt writes it, is already 10-27 here (UTC is still 10-26).
    ['a local date on the first day', '2008-10-27T02:00:00+09:00', 'sc-2011'],
  ])('a booking on %s', (_name, bookedAt, expected) => {
    it(`is decided by ${expected}`, () => {
      // Act
      const policy = policyInForce(bookedAt);
      // Assess
      expect(policy.id).toBe(expected);
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
    expect(policyInForce('2011-06-10T09:30:00Z', 'eo-2017').id).toBe('eo-2017');
    expect(() => policyInForce('2011-06-10T09:30:00Z', 'eo-2021')).toThrow(/Unknown decision policy "eo-2021"/);
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
