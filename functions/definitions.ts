/**
 * Tables, queues and consumer settings of the pipeline, as plain data. The CDK stack builds its
 * resources from these and the local runtime creates the same tables and queues from them, so local
 * never drifts from AWS. No aws-cdk-lib import here: the local runtime loads this file.
 */

export type AttributeType = 'S' | 'N' | 'B';

export interface KeyDefinition {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
}

export interface TableDefinition {
  /** Logical name, also the suffix of the physical name. */
  readonly name: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  readonly timeToLiveAttribute?: string;
}

/**
 * Gallery (mock IDENT/NGI), single-table:
 * - identity:  pk `SUBJECT#<FIN>`, sk `IDENTITY`
 * - fingers:   pk `SUBJECT#<FIN>`, sk `FINGERS` (every enrolled finger, one binary attribute; template-codec.ts)
 * - index:     pk `INDEX#<key>`,   sk `BUCKET` (a binary set of posting blocks; index-postings.ts)
 */
export const GALLERY_TABLE: TableDefinition = {
  name: 'gallery',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [],
};

/**
 * Records, single-table, one partition per booking:
 * - submission: pk `BOOKING#<submissionId>`, sk `SUBMISSION` (written by ingest)
 * - record:     pk `BOOKING#<submissionId>`, sk `RECORD#v<version, 4 digits>`
 * - case:       pk `BOOKING#<submissionId>`, sk `CASE` (the match result, for re-review)
 * - audit:      pk `BOOKING#<submissionId>`, sk `AUDIT#<iso time>#<action>`
 * GSIs: the review queue (record type + status) and the jail's view (ORI + booking date).
 */
export const RECORDS_TABLE: TableDefinition = {
  name: 'records',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'byTypeAndStatus',
      partitionKey: { name: 'typeStatus', type: 'S' },
      sortKey: { name: 'decidedAt', type: 'S' },
    },
    {
      indexName: 'byOriAndDate',
      partitionKey: { name: 'ori', type: 'S' },
      sortKey: { name: 'bookedAtSubmission', type: 'S' },
    },
  ],
};

/**
 * Idempotency of the match step (Powertools idempotency, DynamoDB persistence layer): one item per
 * submissionId, `id` = `<function>#<hash of the submissionId>`, holding the status (IN_PROGRESS,
 * COMPLETED) and a small summary of the search, never the booking. Items expire by TTL.
 */
export const IDEMPOTENCY_TABLE: TableDefinition = {
  name: 'idempotency',
  partitionKey: { name: 'id', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiration',
};

/**
 * How long a completed search is remembered: a redelivery within it is answered from the stored
 * result without searching again. A day covers SQS redeliveries and a DLQ redrive on the same day;
 * later ones search again and the records table's conditional writes still keep one record.
 */
export const IDEMPOTENCY_EXPIRY_SECONDS = 24 * 60 * 60;

export const TABLES = { gallery: GALLERY_TABLE, records: RECORDS_TABLE, idempotency: IDEMPOTENCY_TABLE } as const;

/** How a Lambda consumes a queue. */
export interface ConsumerSettings {
  /** Function timeout; the queue's visibility timeout is derived from it. */
  readonly functionTimeoutSeconds: number;
  readonly batchSize: number;
  /** Cap on concurrent invocations from the event-source mapping (2 to 1000). */
  readonly maxConcurrency: number;
  readonly maxBatchingWindowSeconds: number;
}

export interface QueueDefinition {
  readonly name: string;
  /** Receives before a message goes to the DLQ. */
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
  readonly dlqRetentionDays: number;
  readonly consumer: ConsumerSettings;
}

/**
 * AWS asks for a visibility timeout of at least six times the function timeout on an SQS event
 * source, so a batch that is retried inside the function does not reappear while still in flight.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export function visibilityTimeoutSeconds(consumer: ConsumerSettings): number {
  return consumer.functionTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR;
}

export const BOOKINGS_QUEUE: QueueDefinition = {
  name: 'bookings',
  maxReceiveCount: 3,
  retentionDays: 4,
  dlqRetentionDays: 14,
  consumer: { functionTimeoutSeconds: 30, batchSize: 10, maxConcurrency: 9, maxBatchingWindowSeconds: 1 },
};

export const DECISIONS_QUEUE: QueueDefinition = {
  name: 'decisions',
  maxReceiveCount: 3,
  retentionDays: 4,
  dlqRetentionDays: 14,
  consumer: { functionTimeoutSeconds: 10, batchSize: 10, maxConcurrency: 2, maxBatchingWindowSeconds: 1 },
};

export const QUEUES = { bookings: BOOKINGS_QUEUE, decisions: DECISIONS_QUEUE } as const;

/**
 * Memory of each function, MB. Lambda's CPU share grows with it (one vCPU at 1,769 MB); the values
 * are the ones `npm run bench` recommends (docs/benchmarks/README.md, "Scaling on AWS").
 */
export const FUNCTION_MEMORY_MB = { ingest: 512, 'get-booking': 512, match: 1769, decide: 512 } as const;

/** Timeout of the API functions (ingest, get-booking), seconds: API Gateway waits at most 30. */
export const API_FUNCTION_TIMEOUT_SECONDS = 10;

export function dlqName(queue: QueueDefinition): string {
  return `${queue.name}-dlq`;
}

/** The physical name of a resource: `<prefix>-<name>`, e.g. `sc-pipeline-bookings`. */
export function physicalName(prefix: string, name: string): string {
  return `${prefix}-${name}`;
}

/** Source and detail-type of the events each record is published as. */
export const RECORD_EVENT = {
  source: 'sc-pipeline.decide',
  detailType: 'OutcomeRecordWritten',
} as const;

/** Throttling of the HTTP API's stage (all routes): steady-state requests a second, and burst. */
export const API_DEFAULTS = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * API limits enforced by the ingest handler (docs/limits.md). API Gateway allows a 10 MB body and
 * Lambda a 6 MB response; the booking goes on as one SQS message, 256 KiB at most.
 */
export const API_LIMITS = {
  /** Request body, in bytes as received (after base64 decoding): over it, a 413. */
  maxBodyBytes: 200 * 1024,
  /** Field errors listed in a 400 (and logged); the message gives the total. */
  maxFieldErrors: 100,
} as const;
