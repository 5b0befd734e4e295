import { BatchGetCommand, BatchWriteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GalleryReader } from '../../core/biometrics/search';
import {
  IdentityRecordSchema,
  type EnrolledFinger,
  type GalleryIdentity,
  type IdentityRecord,
  type MinutiaeTemplate,
} from '../../core/schemas';
import { dynamoDocumentClient } from '../clients';
import { chunk, mapWithConcurrency } from '../concurrency';
import { galleryKeys } from './keys';
import { decodeTemplate, encodeTemplate } from './template-codec';

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

/** The gallery table read through the search's port: index buckets, then a shortlist's records. */
export function dynamoGalleryReader(tableName: string): GalleryReader {
  return {
    async readIndex(keys) {
      const buckets = new Map<string, string[]>();
      const unique = [...new Set(keys)];
      await mapWithConcurrency(chunk(unique, BATCH_GET_LIMIT), PARALLEL_REQUESTS, async (part) => {
        await untilProcessed(
          part.map((key): Record<string, unknown> => galleryKeys.indexBucket(key)),
          'Gallery index read',
          async (pending) => {
            const result = await dynamoDocumentClient().send(
              new BatchGetCommand({
                RequestItems: { [tableName]: { Keys: pending, ProjectionExpression: 'pk, subjects' } },
              }),
            );
            for (const item of result.Responses?.[tableName] ?? []) {
              const key = String(item.pk).slice('INDEX#'.length);
              const subjects = item.subjects as Set<string> | undefined;
              buckets.set(key, subjects ? [...subjects] : []);
            }
            return (result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
          },
        );
      });
      return buckets;
    },

    async readCandidates(subjectIds) {
      const found = await mapWithConcurrency(subjectIds, PARALLEL_REQUESTS, (subjectId) =>
        readSubject(tableName, subjectId),
      );
      return found.filter((candidate): candidate is NonNullable<typeof candidate> => candidate !== null);
    },
  };
}

async function readSubject(
  tableName: string,
  subjectId: string,
): Promise<{ identity: IdentityRecord; fingers: EnrolledFinger[] } | null> {
  const result = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': galleryKeys.subjectPartition(subjectId) },
    }),
  );
  let identity: IdentityRecord | null = null;
  const fingers: EnrolledFinger[] = [];
  for (const item of result.Items ?? []) {
    if (item.sk === 'IDENTITY') {
      identity = IdentityRecordSchema.parse({
        subjectId: item.subjectId,
        immigration: item.immigration,
        criminalHistory: item.criminalHistory,
      });
    } else if (typeof item.sk === 'string' && item.sk.startsWith('TEMPLATE#')) {
      fingers.push({ position: Number(item.position), template: decodeTemplate(String(item.template)) });
    }
  }
  return identity ? { identity, fingers } : null;
}

export type IndexKeysFor = (position: EnrolledFinger['position'], template: MinutiaeTemplate) => string[];

/** Index postings: key -> subjects enrolled under it. */
export type IndexPostings = Map<string, Set<string>>;

/** Adds an identity's keys to postings being gathered for one index write. */
export function addPostings(postings: IndexPostings, identity: GalleryIdentity, indexKeysFor: IndexKeysFor): void {
  for (const finger of identity.fingers) {
    for (const key of indexKeysFor(finger.position, finger.template)) {
      let bucket = postings.get(key);
      if (!bucket) postings.set(key, (bucket = new Set()));
      bucket.add(identity.subjectId);
    }
  }
}

/** Identity and template items, by batch write. */
export async function writeIdentityItems(
  tableName: string,
  identities: readonly GalleryIdentity[],
): Promise<{ identities: number; templates: number }> {
  const items: Record<string, unknown>[] = [];
  for (const identity of identities) {
    items.push({
      ...galleryKeys.identity(identity.subjectId),
      subjectId: identity.subjectId,
      immigration: identity.immigration,
      criminalHistory: identity.criminalHistory,
      biographics: identity.biographics,
    });
    for (const finger of identity.fingers) {
      items.push({
        ...galleryKeys.template(identity.subjectId, finger.position),
        position: finger.position,
        template: encodeTemplate(finger.template),
      });
    }
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
  return { identities: identities.length, templates: items.length - identities.length };
}

/**
 * Index buckets, one UpdateItem ADD per key so that an enrolment adds to what is there instead of
 * overwriting it. Gathering many identities' postings first makes one write per bucket, not one
 * per identity.
 */
export async function writeIndexPostings(tableName: string, postings: IndexPostings): Promise<number> {
  await mapWithConcurrency([...postings], PARALLEL_REQUESTS, async ([key, subjects]) => {
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: tableName,
        Key: galleryKeys.indexBucket(key),
        UpdateExpression: 'ADD subjects :subjects',
        ExpressionAttributeValues: { ':subjects': subjects },
      }),
    );
  });
  return postings.size;
}

/** Enrols identities: their records and templates, then their index postings. */
export async function enrolIdentities(
  tableName: string,
  identities: readonly GalleryIdentity[],
  indexKeysFor: IndexKeysFor,
): Promise<{ identities: number; templates: number; indexKeys: number }> {
  const written = await writeIdentityItems(tableName, identities);
  const postings: IndexPostings = new Map();
  for (const identity of identities) addPostings(postings, identity, indexKeysFor);
  return { ...written, indexKeys: await writeIndexPostings(tableName, postings) };
}
