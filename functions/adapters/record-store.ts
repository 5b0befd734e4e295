import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { RecordStore, StoredRecord } from '#core/ports';
import type { OutcomeRecord } from '#core/schemas';
// Each schema from its own module: the schemas' index would put every schema in get-booking's bundle.
import { MatchResultSchema } from '#core/schemas/match-result';
import { OutcomeRecordSchema } from '#core/schemas/records';
import { dynamoDocumentClient } from '#runtime/clients';
import { recordKeys } from './keys';

/** A record's item: the record and the attributes the indexes read (type and status, ORI and date). */
function recordItem(record: OutcomeRecord): Record<string, unknown> {
  return {
    ...recordKeys.record(record.submissionId, record.version),
    type: record.type,
    typeStatus: `${record.type}#${record.status}`,
    decidedAt: record.decidedAt,
    ori: record.ori,
    bookedAtSubmission: `${record.bookedAt}#${record.submissionId}`,
    record,
  };
}

/** An audit entry for a record written: who, what, when, the outcome and the inputs' hash. */
function auditPut(tableName: string, record: OutcomeRecord, action: string, actor: string, extra: object = {}) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...recordKeys.audit(record.submissionId, record.decidedAt, action),
        action,
        actor,
        at: record.decidedAt,
        outcome: record.type,
        recordVersion: record.version,
        ...extra,
        policy: `${record.policy.id}@${record.policy.version}`,
        inputHash: record.inputHash,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Runs a transaction; false when one of its conditions failed (the write was already made). */
async function transactOnce(input: TransactWriteCommandInput): Promise<boolean> {
  try {
    await dynamoDocumentClient().send(new TransactWriteCommand(input));
    return true;
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')
    ) {
      return false;
    }
    throw error;
  }
}

/** The newest version of a booking's record, or null when none has been written yet. */
export async function getLatestRecord(tableName: string, submissionId: string): Promise<StoredRecord | null> {
  const result = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': recordKeys.partition(submissionId), ':prefix': recordKeys.recordPrefix },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = result.Items?.[0];
  return item ? toStoredRecord(item) : null;
}

/** The records table through the decide step's port. */
export function dynamoRecordStore(tableName: string): RecordStore {
  return {
    /**
     * The record (conditional on its version not existing yet, so a redelivered message never makes
     * a second one), the match result it came from (for re-review under another policy) and an audit
     * entry, in one transaction.
     */
    writeDecision: (record, match) =>
      transactOnce({
        TransactItems: [
          { Put: { TableName: tableName, Item: recordItem(record), ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: tableName,
              Item: { ...recordKeys.matchCase(record.submissionId), match, storedAt: record.decidedAt },
            },
          },
          auditPut(tableName, record, 'RECORD_WRITTEN', 'decide'),
        ],
      }),

    /**
     * The new version (conditional on not existing yet), the previous version marked superseded
     * (conditional on being the active one), and audit entries, in one transaction. The decision
     * inside a record never changes; only its status marker does.
     */
    writeRevision: (record, previousVersion, actor) =>
      transactOnce({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...recordItem(record), supersedes: previousVersion },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: recordKeys.record(record.submissionId, previousVersion),
              UpdateExpression:
                'SET #record.#status = :superseded, typeStatus = :typeStatus, supersededBy = :version, supersededAt = :at',
              ConditionExpression: '#record.#status = :active',
              ExpressionAttributeNames: { '#record': 'record', '#status': 'status' },
              ExpressionAttributeValues: {
                ':superseded': 'superseded',
                ':active': 'active',
                ':typeStatus': `${record.type}#superseded`,
                ':version': record.version,
                ':at': record.decidedAt,
              },
            },
          },
          auditPut(tableName, record, 'RECORD_SUPERSEDED', actor, { supersedes: previousVersion }),
        ],
      }),

    async getRecord(submissionId, version) {
      const result = await dynamoDocumentClient().send(
        new GetCommand({ TableName: tableName, Key: recordKeys.record(submissionId, version), ConsistentRead: true }),
      );
      return result.Item ? toStoredRecord(result.Item) : null;
    },

    getLatestRecord: (submissionId) => getLatestRecord(tableName, submissionId),

    async getStoredCase(submissionId) {
      const result = await dynamoDocumentClient().send(
        new GetCommand({ TableName: tableName, Key: recordKeys.matchCase(submissionId), ConsistentRead: true }),
      );
      return result.Item ? MatchResultSchema.parse(result.Item.match) : null;
    },

    async markOutboxDone(submissionId, version, step, at) {
      await dynamoDocumentClient().send(
        new UpdateCommand({
          TableName: tableName,
          Key: recordKeys.record(submissionId, version),
          UpdateExpression: 'SET #step = :at',
          ExpressionAttributeNames: { '#step': step },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    },
  };
}

function toStoredRecord(item: Record<string, unknown>): StoredRecord {
  const stored: StoredRecord = { record: OutcomeRecordSchema.parse(item.record) };
  if (typeof item.eventPublishedAt === 'string') stored.eventPublishedAt = item.eventPublishedAt;
  if (typeof item.auditLoggedAt === 'string') stored.auditLoggedAt = item.auditLoggedAt;
  return stored;
}
