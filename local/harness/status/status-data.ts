import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RecordTypeSchema, type RecordType } from '#core/schemas';
import type { EnvironmentPool } from '#local/environments/environment-pool';
import type { LocalResources } from '#local/provision';

/** Upper bounds (ms) of the search latency histogram's buckets; the last bucket is open. */
export const LATENCY_BUCKETS_MS = [50, 100, 200, 500, 1_000, 2_000, 5_000] as const;

export interface QueueStatus {
  name: string;
  /** Waiting to be received. */
  waiting: number;
  /** Received, not yet deleted. */
  inFlight: number;
}

/** What the local status page shows: the same picture as the CloudWatch dashboard, from the emulators. */
export interface PipelineStatus {
  at: string;
  /** Active records (the newest version of each booking) by type. */
  recordsByType: Record<RecordType, number>;
  records: number;
  queues: QueueStatus[];
  /** Searches per latency bucket: `le` is the bucket's upper bound in ms (null: above the last). */
  searchLatency: Array<{ le: number | null; count: number }>;
  searches: number;
  searchLatencyP50Ms: number | null;
  searchLatencyP99Ms: number | null;
}

interface Clients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
}

async function queueStatus(sqs: SQSClient, name: string, url: string): Promise<QueueStatus> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    name,
    waiting: Number(result.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** Active records by type and the stored searches' latencies, in one scan of the records table. */
async function scanRecords(
  dynamodb: DynamoDBClient,
  tableName: string,
): Promise<{ byType: Record<RecordType, number>; latencies: number[] }> {
  const document = DynamoDBDocumentClient.from(dynamodb);
  const byType = Object.fromEntries(RecordTypeSchema.options.map((type) => [type, 0])) as Record<RecordType, number>;
  const latencies: number[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await document.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: 'sk, typeStatus, #match.#search.latencyMs',
        ExpressionAttributeNames: { '#match': 'match', '#search': 'search' },
        FilterExpression: 'begins_with(sk, :record) OR sk = :case',
        ExpressionAttributeValues: { ':record': 'RECORD#', ':case': 'CASE' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.sk === 'CASE') {
        const latency = (item.match as { search?: { latencyMs?: number } } | undefined)?.search?.latencyMs;
        if (typeof latency === 'number') latencies.push(latency);
        continue;
      }
      const [type, status] = String(item.typeStatus).split('#');
      if (status === 'active' && type && type in byType) byType[type as RecordType]++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { byType, latencies };
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

export async function pipelineStatus(clients: Clients, resources: LocalResources): Promise<PipelineStatus> {
  const { bookings, decisions } = resources.queues;
  const [{ byType, latencies }, ...queues] = await Promise.all([
    scanRecords(clients.dynamodb, resources.tables.records),
    queueStatus(clients.sqs, 'bookings', bookings.url),
    queueStatus(clients.sqs, 'bookings DLQ', bookings.dlqUrl),
    queueStatus(clients.sqs, 'decisions', decisions.url),
    queueStatus(clients.sqs, 'decisions DLQ', decisions.dlqUrl),
  ]);
  const sorted = [...latencies].sort((a, b) => a - b);
  const bounds: Array<number | null> = [...LATENCY_BUCKETS_MS, null];
  const searchLatency = bounds.map((le, i) => {
    const low = i === 0 ? -Infinity : (LATENCY_BUCKETS_MS[i - 1] ?? Infinity);
    return { le, count: sorted.filter((ms) => ms > low && (le === null || ms <= le)).length };
  });
  return {
    at: new Date().toISOString(),
    recordsByType: byType,
    records: Object.values(byType).reduce((a, b) => a + b, 0),
    queues,
    searchLatency,
    searches: sorted.length,
    searchLatencyP50Ms: percentile(sorted, 50),
    searchLatencyP99Ms: percentile(sorted, 99),
  };
}

/** One function's execution environments as the status page shows them (Lambda's cold-start picture). */
export interface EnvironmentStatus {
  functionName: string;
  live: number;
  busy: number;
  coldStarts: number;
  initP50Ms: number | null;
  initMaxMs: number | null;
  invocations: number;
}

export function environmentStatus(pools: Record<string, EnvironmentPool>): EnvironmentStatus[] {
  return Object.values(pools).map((pool) => {
    const { stats } = pool;
    const inits = [...stats.initDurationsMs].sort((a, b) => a - b);
    return {
      functionName: pool.functionName,
      live: stats.live,
      busy: stats.busy,
      coldStarts: stats.coldStarts,
      initP50Ms: percentile(inits, 50),
      initMaxMs: inits.at(-1) ?? null,
      invocations: stats.invocations,
    };
  });
}
