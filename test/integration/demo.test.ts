import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_OPTIONS, runDemo, type DemoReport } from '#local/harness/demo';
import type { LocalPipeline } from '#local/local-pipeline';
import { startTestPipeline } from './helpers';

/** The main job (`npm run demo`), small: seeded gallery, bookings through the API, every record back. */
describe('demo, small', () => {
  let pipeline: LocalPipeline;
  let report: DemoReport;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    report = await runDemo(pipeline, {
      ...DEFAULT_DEMO_OPTIONS,
      gallerySize: 150,
      bookings: 40,
      // More of them enrolled than nationally, so that a small run still exercises the matches.
      matedShare: 0.3,
      timeoutSeconds: 120,
      progress: false,
      reviewPolicy: 'pep-2014',
    });
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('gets a record for every booking', () => {
    // Assess
    expect(report.missing).toEqual([]);
    expect(report.accepted).toBe(40);
    expect(report.records).toBe(40);
    expect(Object.values(report.byType).reduce((a, b) => a + b, 0)).toBe(40);
  });

  it('finds enrolled people and no one else', () => {
    // Assess
    expect(report.mated.total).toBeGreaterThan(5);
    expect(report.mated.matched + report.mated.inconclusive).toBeGreaterThanOrEqual(report.mated.total - 1);
    expect(report.mated.wrongSubject).toBe(0);
    expect(report.unmated.falseMatches).toBe(0);
    expect(report.byType['no-action']).toBeGreaterThanOrEqual(report.unmated.total);
  });

  it('counts the funnel from the records: identified, then detainers and reviews among them', () => {
    // Assess
    const { funnel } = report;
    expect(funnel.identified).toBe(report.mated.matched + report.unmated.falseMatches);
    expect(funnel.detainers).toBe(report.byType.detainer);
    expect(funnel.detainers + funnel.reviews).toBeLessThanOrEqual(funnel.identified);
    expect(funnel.level1).toBeLessThanOrEqual(funnel.identified);
  });

  it('re-decides every record under another policy and counts the transitions', () => {
    // Assess: the 2011 bookings were decided under sc-2011; each is now a version under pep-2014.
    const review = report.review!;
    expect(review).toMatchObject({ policyId: 'pep-2014', cases: 40, pending: 0 });
    expect(review.transitions.reduce((sum, t) => sum + t.count, 0)).toBe(40);
    const noAction = review.transitions.find((t) => t.from === 'no-action' && t.to === 'no-action');
    expect(noAction?.count).toBe(report.byType['no-action']);
  });
});
