/**
 * AWS list prices, us-east-1, on-demand, that the cost model (cost.ts) multiplies the counted units
 * by. One line per billed unit, with the page it comes from.
 *
 * Provenance: the rates are the ones on AWS's public pricing pages as recalled (unchanged since the
 * November 2024 DynamoDB on-demand cut, which halved its request prices). The SQS, EventBridge and
 * DynamoDB request rates, and SQS's and EventBridge's 64 KB metering, were cross-checked on
 * PRICES_AS_OF against third-party summaries of the AWS pages dated March to June 2026; the other
 * lines are from memory and were not checked against AWS on that day. Re-check before quoting them.
 */
export const PRICES_AS_OF = '2026-11-24';

export const PRICES_PROVENANCE =
  'us-east-1 on-demand list prices; SQS, EventBridge and DynamoDB request rates cross-checked on 2026-11-24 ' +
  'against third-party summaries of the AWS pricing pages (March-June 2026), the rest from memory of the AWS pages';

export type PriceKey =
  | 'apiGatewayHttpRequest'
  | 'lambdaRequest'
  | 'lambdaArmGbSecond'
  | 'dynamodbWriteRequestUnit'
  | 'dynamodbReadRequestUnit'
  | 'dynamodbStorageGbMonth'
  | 'dynamodbPitrGbMonth'
  | 'sqsStandardRequest'
  | 'eventBridgeCustomEvent'
  | 'eventBridgeArchiveGb'
  | 'logsIngestionGb'
  | 'xrayTraceRecorded'
  | 'kmsRequest';

export interface Price {
  service: string;
  /** What is billed, as the pricing page names it. */
  item: string;
  /** The billed unit, singular (what `per` counts). */
  unit: string;
  /** Dollars for `per` units. */
  usd: number;
  per: number;
  /** Units free every month (the always-free tier), when there is one. */
  freePerMonth?: number;
  source: string;
  note?: string;
}

export type PriceTable = Record<PriceKey, Price>;

export const PRICES: PriceTable = {
  apiGatewayHttpRequest: {
    service: 'API Gateway',
    item: 'HTTP API requests (first 300 million a month)',
    unit: 'request',
    usd: 1.0,
    per: 1_000_000,
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    note: 'metered in 512 KB increments; the 1 million free requests a month last only the first 12 months',
  },
  lambdaRequest: {
    service: 'Lambda',
    item: 'requests',
    unit: 'request',
    usd: 0.2,
    per: 1_000_000,
    freePerMonth: 1_000_000,
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  lambdaArmGbSecond: {
    service: 'Lambda',
    item: 'duration, arm64 (first 7.5 billion GB-s a month)',
    unit: 'GB-s',
    usd: 0.0000133334,
    per: 1,
    freePerMonth: 400_000,
    source: 'https://aws.amazon.com/lambda/pricing/',
    note: 'billed per ms of wall time x configured memory',
  },
  dynamodbWriteRequestUnit: {
    service: 'DynamoDB',
    item: 'on-demand write request units (Standard table class)',
    unit: 'WRU',
    usd: 0.625,
    per: 1_000_000,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: '1 WRU per 1 KB written, 2 for a transactional write; since the 1 Nov 2024 price cut',
  },
  dynamodbReadRequestUnit: {
    service: 'DynamoDB',
    item: 'on-demand read request units (Standard table class)',
    unit: 'RRU',
    usd: 0.125,
    per: 1_000_000,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: '1 RRU per 4 KB strongly consistent, 0.5 eventually consistent, 2 transactional',
  },
  dynamodbStorageGbMonth: {
    service: 'DynamoDB',
    item: 'data storage (Standard table class)',
    unit: 'GB-month',
    usd: 0.25,
    per: 1,
    freePerMonth: 25,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamodbPitrGbMonth: {
    service: 'DynamoDB',
    item: 'continuous backups (point-in-time recovery)',
    unit: 'GB-month',
    usd: 0.2,
    per: 1,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  sqsStandardRequest: {
    service: 'SQS',
    item: 'standard queue requests (first 100 billion a month)',
    unit: 'request',
    usd: 0.4,
    per: 1_000_000,
    freePerMonth: 1_000_000,
    source: 'https://aws.amazon.com/sqs/pricing/',
    note: 'every API action is a request, empty receives included; each 64 KB chunk of a payload is one request',
  },
  eventBridgeCustomEvent: {
    service: 'EventBridge',
    item: 'custom events published',
    unit: 'event',
    usd: 1.0,
    per: 1_000_000,
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    note: 'each 64 KB chunk of an event is billed as one event',
  },
  eventBridgeArchiveGb: {
    service: 'EventBridge',
    item: 'archive, events processed',
    unit: 'GB',
    usd: 0.1,
    per: 1,
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    note: 'plus $0.023 per GB-month stored (not modelled)',
  },
  logsIngestionGb: {
    service: 'CloudWatch Logs',
    item: 'data ingestion, Standard log class',
    unit: 'GB',
    usd: 0.5,
    per: 1,
    freePerMonth: 5,
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  xrayTraceRecorded: {
    service: 'X-Ray',
    item: 'traces recorded',
    unit: 'trace',
    usd: 5.0,
    per: 1_000_000,
    freePerMonth: 100_000,
    source: 'https://aws.amazon.com/xray/pricing/',
  },
  kmsRequest: {
    service: 'KMS',
    item: 'symmetric key requests',
    unit: 'request',
    usd: 0.03,
    per: 10_000,
    freePerMonth: 20_000,
    source: 'https://aws.amazon.com/kms/pricing/',
    note: 'plus $1 per customer-managed key per month',
  },
};

/** Dollars for `units` of a price. */
export function priceOf(price: Price, units: number): number {
  return (units * price.usd) / price.per;
}
