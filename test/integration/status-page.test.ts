import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolIdentities } from '#adapters/gallery-store';
import { enrolmentEntries } from '#core/biometrics/index-keys';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import { syntheticGallery } from '#simulation/synthetic-gallery';
import { postBooking, waitForRecord } from '#local/harness/api-client';
import type { LocalPipeline } from '#local/local-pipeline';
import { launchBrowser } from './browser';
import { sendRaw, startTestPipeline } from './helpers';

const GALLERY_SEED = 91;
/** Set SCREENSHOT=docs/status-page.png to refresh the screenshot kept in the docs. */
const SCREENSHOT = process.env.SCREENSHOT;

/** The local status page, in a real headless browser, as an operator would open it. */
describe('status page', () => {
  let pipeline: LocalPipeline;
  let browser: Browser;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    await enrolIdentities(pipeline.resources.tables.gallery, [...syntheticGallery(GALLERY_SEED, 20)], enrolmentEntries);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });

  it('shows records by type, queue depths, a dead letter and the search latency histogram, and refreshes', async () => {
    // Prepare: the page open before anything happens.
    const page = await browser.newPage({ viewport: { width: 1200, height: 640 } });
    await page.goto(`${pipeline.apiUrl}/status`);
    await expect.poll(() => page.getByTestId('records-total').textContent()).toBe('0');

    // Act: bookings of an enrolled person and of strangers, and one poison message.
    const bookings = [0, 1, 2].map(
      (i) =>
        bookingOfSubject({ seed: 92, gallerySeed: GALLERY_SEED }, i, {
          galleryIndex: i === 0 ? 4 : null,
          profile: 'good',
        }).booking,
    );
    for (const booking of bookings) await postBooking(pipeline.apiUrl, booking);
    for (const booking of bookings) await waitForRecord(pipeline.apiUrl, booking.submissionId);
    await sendRaw(pipeline, pipeline.resources.queues.bookings.url, 'not a booking');

    // Assess: the page catches up by itself (no reload).
    await expect.poll(() => page.getByTestId('records-total').textContent(), { timeout: 20_000 }).toBe('3');
    await expect.poll(() => page.getByTestId('searches').textContent(), { timeout: 10_000 }).toBe('3');
    const recordRows = await page.locator('[data-testid="records"] tbody tr').allTextContents();
    expect(recordRows).toHaveLength(4);
    expect(recordRows.join(' ')).toMatch(/no-action\s*[1-3]/);
    // Each function's execution environments: the match function had at least one cold start.
    const environmentRows = page.locator('[data-testid="environments"] tbody tr');
    await expect.poll(() => environmentRows.count()).toBe(4);
    const matchCells = await environmentRows.filter({ hasText: '-match' }).locator('td').allTextContents();
    expect(Number(matchCells[3])).toBeGreaterThanOrEqual(1);
    expect(Number(matchCells[4])).toBeGreaterThan(0);
    const queueRows = page.locator('[data-testid="queues"] tbody tr');
    await expect
      .poll(() => queueRows.filter({ hasText: 'bookings DLQ' }).locator('td').nth(1).textContent(), {
        timeout: 20_000,
      })
      .toBe('1');
    expect(await queueRows.filter({ hasText: 'bookings DLQ' }).locator('td').first().getAttribute('class')).toBe(
      'dlq bad',
    );
    const latencyRows = page.locator('[data-testid="latency"] tbody tr');
    expect(await latencyRows.count()).toBe(8);
    const counts = (await latencyRows.locator('td:nth-child(2)').allTextContents()).map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(Number(await page.getByTestId('p99').textContent())).toBeGreaterThan(0);
    if (SCREENSHOT) {
      mkdirSync('docs', { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
  });
});
