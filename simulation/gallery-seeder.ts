import { enrolmentEntries } from '#core/biometrics/index-keys';
import { syntheticGallery } from './synthetic-gallery';
import { addPostings, writeIdentityItems, writeIndexPostings, type IndexPostings } from '#adapters/gallery-store';

export interface SeedGalleryOptions {
  tableName: string;
  /** Number of identities. */
  count: number;
  /** Seed of the synthetic gallery: the same seed gives the same people and fingers. */
  seed: number;
  /** Index of the first identity, to grow a gallery in steps. @default 0 */
  start?: number;
  /** Identities generated and written per step. @default 250 */
  chunkSize?: number;
  /**
   * Identities whose index postings are gathered before the index is written: each bucket is written
   * once per flush, so larger is faster, at about 25 KB of memory per identity. @default 5000
   */
  indexFlushSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  identities: number;
  templates: number;
  indexKeyWrites: number;
  seconds: number;
}

/**
 * Writes `count` synthetic identities (records, templates, index) to a gallery table: local or
 * deployed, whichever the SDK's configuration points at. Idempotent: seeding the same range twice
 * rewrites the same items.
 */
export async function seedGallery(options: SeedGalleryOptions): Promise<SeedSummary> {
  const started = performance.now();
  const start = options.start ?? 0;
  const chunkSize = options.chunkSize ?? 250;
  const summary: SeedSummary = { identities: 0, templates: 0, indexKeyWrites: 0, seconds: 0 };
  const indexFlushSize = Math.max(chunkSize, options.indexFlushSize ?? 5_000);
  let postings: IndexPostings = new Map();
  let gathered = 0;
  const flush = async () => {
    summary.indexKeyWrites += await writeIndexPostings(options.tableName, postings);
    postings = new Map();
    gathered = 0;
  };
  for (let offset = 0; offset < options.count; offset += chunkSize) {
    const size = Math.min(chunkSize, options.count - offset);
    const identities = [...syntheticGallery(options.seed, size, start + offset)];
    const written = await writeIdentityItems(options.tableName, identities);
    for (const identity of identities) addPostings(postings, identity, enrolmentEntries);
    gathered += size;
    summary.identities += written.identities;
    summary.templates += written.templates;
    if (gathered >= indexFlushSize) await flush();
    options.onProgress?.(offset + size, options.count);
  }
  if (gathered > 0) await flush();
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
