import { BatchGetCommand, BatchWriteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { INDEXED_POSITIONS, type IndexEntry } from '#core/biometrics/index-keys';
import {
  decodePostingBlock,
  directionCode,
  encodePostingBlock,
  galleryNumber,
  type Posting,
} from '#core/biometrics/index-postings';
import type { GalleryReader, GalleryReadStats } from '#core/ports';
import type { EnrolledFinger, GalleryIdentity, MinutiaeTemplate } from '#core/schemas';
import { IdentityRecordSchema } from '#core/schemas/identity';
import { dynamoDocumentClient } from '#runtime/clients';
import { chunk, mapWithConcurrency } from '#runtime/concurrency';
import { itemSize } from './item-size';
import { galleryKeys } from './keys';
import { decodeFingers, encodeFingers } from './template-codec';

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const PARALLEL_REQUESTS = 16;
/** Unprocessed keys come back under throttling; retry them with backoff a bounded number of times. */
const MAX_UNPROCESSED_RETRIES = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const backoffMs = (attempt: number) => Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);

/**
 * Sends a batch request and re-sends what comes back unprocessed (DynamoDB's answer to throttling
 * inside a batch, which the SDK's own retries do not cover), with backoff, a bounded number of times.
 */
async function untilProcessed<T>(first: T[], what: string, send: (pending: T[]) => Promise<T[]>): Promise<void> {
  let pending = first;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > MAX_UNPROCESSED_RETRIES) throw new Error(`${what} kept coming back unprocessed`);
    if (attempt > 0) await sleep(backoffMs(attempt));
    pending = await send(pending);
  }
}

export interface GalleryReaderOptions {
  /** Called after each index or candidate read, e.g. to put bytes read per search in a metric. */
  onRead?: (stats: GalleryReadStats) => void;
}

/**
 * Reads items by key (each once), in BatchGetItem calls of up to 100 keys run in parallel, re-sending
 * unprocessed keys; counts what came back in `stats` and hands each item to `onItem`.
 */
async function batchGet(
  tableName: string,
  keys: ReadonlyArray<{ pk: string; sk: string }>,
  what: string,
  stats: GalleryReadStats,
  projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> },
  onItem: (item: Record<string, unknown>) => void,
): Promise<void> {
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  await mapWithConcurrency(chunk(unique, BATCH_GET_LIMIT), PARALLEL_REQUESTS, async (part) => {
    await untilProcessed<Record<string, unknown>>(part, what, async (pending) => {
      const result = await dynamoDocumentClient().send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...projection } } }),
      );
      for (const item of result.Responses?.[tableName] ?? []) {
        stats.items++;
        stats.bytes += itemSize(item);
        onItem(item);
      }
      return (result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    });
  });
}

/** The gallery table read through the search's port: index buckets, then a shortlist's records. */
export function dynamoGalleryReader(tableName: string, options: GalleryReaderOptions = {}): GalleryReader {
  return {
    async readIndex(keys) {
      const buckets = new Map<string, Posting[]>();
      const stats: GalleryReadStats = { kind: 'index', items: 0, bytes: 0 };
      const projection = { ProjectionExpression: 'pk, #blocks', ExpressionAttributeNames: { '#blocks': 'blocks' } };
      await batchGet(tableName, keys.map(galleryKeys.indexBucket), 'Gallery index read', stats, projection, (item) => {
        const postings: Posting[] = [];
        for (const block of (item.blocks as Set<Uint8Array> | undefined) ?? []) decodePostingBlock(block, postings);
        buckets.set(String(item.pk).slice('INDEX#'.length), postings);
      });
      options.onRead?.(stats);
      return buckets;
    },

    async readCandidates(subjectIds) {
      const found: Array<{ subjectId: string; fingers: EnrolledFinger[] }> = [];
      const stats: GalleryReadStats = { kind: 'candidates', items: 0, bytes: 0 };
      await batchGet(tableName, subjectIds.map(galleryKeys.fingers), 'Gallery candidate read', stats, {}, (item) =>
        found.push({ subjectId: String(item.subjectId), fingers: decodeFingers(item.fingers as Uint8Array) }),
      );
      options.onRead?.(stats);
      return found;
    },

    async readIdentity(subjectId) {
      // Biographics stay in the table: the search and the decision need status and history only.
      const result = await dynamoDocumentClient().send(
        new GetCommand({
          TableName: tableName,
          Key: galleryKeys.identity(subjectId),
          ProjectionExpression: 'subjectId, immigration, criminalHistory',
        }),
      );
      const item = result.Item;
      options.onRead?.({ kind: 'identity', items: item ? 1 : 0, bytes: item ? itemSize(item) : 0 });
      return item
        ? IdentityRecordSchema.parse({
            subjectId: item.subjectId,
            immigration: item.immigration,
            criminalHistory: item.criminalHistory,
          })
        : null;
    },
  };
}

export type IndexEntriesFor = (position: EnrolledFinger['position'], template: MinutiaeTemplate) => IndexEntry[];

/** Index postings: key -> postings enrolled under it. */
export type IndexPostings = Map<string, Posting[]>;

/** Adds an identity's entries (its fingers at INDEXED_POSITIONS) to postings being gathered for one index write. */
export function addPostings(
  postings: IndexPostings,
  identity: GalleryIdentity,
  indexEntriesFor: IndexEntriesFor,
): void {
  const subject = galleryNumber(identity.subjectId);
  for (const finger of identity.fingers) {
    if (!INDEXED_POSITIONS.includes(finger.position)) continue;
    for (const { key, direction } of indexEntriesFor(finger.position, finger.template)) {
      let bucket = postings.get(key);
      if (!bucket) postings.set(key, (bucket = []));
      bucket.push({ subject, direction: directionCode(direction) });
    }
  }
}

/** Identity items and fingers items, by batch write. */
export async function writeIdentityItems(
  tableName: string,
  identities: readonly GalleryIdentity[],
): Promise<{ identities: number; templates: number }> {
  const items: Record<string, unknown>[] = [];
  let templates = 0;
  for (const identity of identities) {
    items.push({
      ...galleryKeys.identity(identity.subjectId),
      subjectId: identity.subjectId,
      immigration: identity.immigration,
      criminalHistory: identity.criminalHistory,
      biographics: identity.biographics,
    });
    items.push({
      ...galleryKeys.fingers(identity.subjectId),
      subjectId: identity.subjectId,
      fingers: encodeFingers(identity.fingers),
    });
    templates += identity.fingers.length;
  }
  await mapWithConcurrency(chunk(items, BATCH_WRITE_LIMIT), PARALLEL_REQUESTS, async (part) => {
    await untilProcessed(
      part.map((Item) => ({ PutRequest: { Item } })),
      'Gallery write',
      async (pending) => {
        const result = await dynamoDocumentClient().send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
        );
        return (result.UnprocessedItems?.[tableName] as typeof pending | undefined) ?? [];
      },
    );
  });
  return { identities: identities.length, templates };
}

/**
 * Index buckets: each key's postings as one block (index-postings.ts), added to the bucket's set of
 * blocks with one UpdateItem ADD, so that an enrolment adds to what is there instead of overwriting
 * it, and writing the same block twice changes nothing. Gathering many identities' postings first
 * makes one write per bucket, not one per identity.
 */
export async function writeIndexPostings(tableName: string, postings: IndexPostings): Promise<number> {
  await mapWithConcurrency([...postings], PARALLEL_REQUESTS, async ([key, bucket]) => {
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: tableName,
        Key: galleryKeys.indexBucket(key),
        UpdateExpression: 'ADD #blocks :block',
        ExpressionAttributeNames: { '#blocks': 'blocks' },
        ExpressionAttributeValues: { ':block': new Set([encodePostingBlock(bucket)]) },
      }),
    );
  });
  return postings.size;
}

/** Enrols identities: their records and templates, then their index postings. */
export async function enrolIdentities(
  tableName: string,
  identities: readonly GalleryIdentity[],
  indexEntriesFor: IndexEntriesFor,
): Promise<{ identities: number; templates: number; indexKeys: number }> {
  const written = await writeIdentityItems(tableName, identities);
  const postings: IndexPostings = new Map();
  for (const identity of identities) addPostings(postings, identity, indexEntriesFor);
  return { ...written, indexKeys: await writeIndexPostings(tableName, postings) };
}
