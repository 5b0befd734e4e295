import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Schedule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PipelineQueue } from './constructs/pipeline-queue';
import {
  BOOKINGS_QUEUE,
  DECISIONS_QUEUE,
  GALLERY_TABLE,
  IDEMPOTENCY_TABLE,
  RECORD_EVENT,
  RECORDS_TABLE,
  type KeyDefinition,
  type TableDefinition,
} from '#functions/definitions';

export interface StatefulStackProps extends StackProps {
  /**
   * Receives of a booking before it moves to the bookings DLQ.
   * @default BOOKINGS_QUEUE.maxReceiveCount (3)
   */
  readonly bookingsMaxReceiveCount?: number;
  /**
   * Receives of a match result before it moves to the decisions DLQ.
   * @default DECISIONS_QUEUE.maxReceiveCount (3)
   */
  readonly decisionsMaxReceiveCount?: number;
  /**
   * How long the audit trail is kept. The CJIS Security Policy (v5.4, section 5.4.7) asks for at
   * least one year of NCIC and III transaction logs, and for keeping audit records past that while
   * they may be needed: 400 days leaves a margin over the year; set more if the agency's records
   * schedule asks for more.
   * @default RetentionDays.THIRTEEN_MONTHS
   */
  readonly auditRetention?: RetentionDays;
  /**
   * Days the record events are kept in the bus archive for replay.
   * @default 365
   */
  readonly eventArchiveRetentionDays?: number;
  /**
   * Days a daily AWS Backup recovery point of each table is kept (on top of the 35 days of
   * point-in-time recovery).
   * @default 35
   */
  readonly backupRetentionDays?: number;
}

const ATTRIBUTE_TYPES = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;

function attribute(key: KeyDefinition): { name: string; type: AttributeType } {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

/**
 * The pipeline's data: the key, the gallery and records tables, the two queues with their DLQs and
 * the records event bus. Nothing here changes when a function changes, so the stateless stack can be
 * redeployed (or destroyed) without touching data.
 */
export class StatefulStack extends Stack {
  /** Customer-managed key for tables, queues, DLQs, log groups, the alarm topic and the event bus. */
  public readonly key: Key;
  public readonly galleryTable: Table;
  public readonly recordsTable: Table;
  /** Powertools idempotency records of the match step (hashes and search summaries; TTL). */
  public readonly idempotencyTable: Table;
  public readonly bookings: PipelineQueue;
  public readonly decisions: PipelineQueue;
  public readonly eventBus: EventBus;
  /**
   * The audit trail: one JSON entry per record version written and per read through the API. The
   * functions may only create streams and put events in it; nothing can edit a log event.
   */
  public readonly auditTrail: LogGroup;

  public constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);

    this.key = new Key(this, 'DataKey', {
      description: 'sc-pipeline: tables, queues, logs, alarm topic and record events (CJI)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.allowLogsToUseKey();
    this.allowCloudWatchAlarmsToUseKey();

    this.galleryTable = this.table('GalleryTable', GALLERY_TABLE);
    this.recordsTable = this.table('RecordsTable', RECORDS_TABLE);
    // Not backed up: its items expire within a day and hold nothing a restore would need.
    this.idempotencyTable = this.table('IdempotencyTable', IDEMPOTENCY_TABLE);
    Validations.of(this.idempotencyTable).acknowledge({
      id: 'NIST.800.53.R5-DynamoDBInBackupPlan',
      reason:
        'Idempotency records of the match step: a hash of the submissionId, a status and a search summary, expiring by TTL within a day. Lost, they cost at most a repeated search; the records table, which is backed up, still keeps one record per booking.',
    });
    this.backUp([this.galleryTable, this.recordsTable], props.backupRetentionDays ?? 35);

    this.bookings = new PipelineQueue(this, 'Bookings', {
      definition: BOOKINGS_QUEUE,
      encryptionKey: this.key,
      maxReceiveCount: props.bookingsMaxReceiveCount,
    });
    this.decisions = new PipelineQueue(this, 'Decisions', {
      definition: DECISIONS_QUEUE,
      encryptionKey: this.key,
      maxReceiveCount: props.decisionsMaxReceiveCount,
    });

    this.auditTrail = new LogGroup(this, 'AuditTrail', {
      encryptionKey: this.key,
      retention: props.auditRetention ?? RetentionDays.THIRTEEN_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.eventBus = new EventBus(this, 'RecordsBus', {
      description: 'sc-pipeline: one event per outcome record written',
      kmsKey: this.key,
    });
    this.eventBus.archive('RecordsArchive', {
      description: 'Record events, kept for replay to downstream systems',
      eventPattern: { source: [RECORD_EVENT.source] },
      retention: Duration.days(props.eventArchiveRetentionDays ?? 365),
    });

    new CfnOutput(this, 'GalleryTableName', {
      value: this.galleryTable.tableName,
      description: 'Gallery table name: the table the seeding tool writes synthetic identities to',
    });
    new CfnOutput(this, 'RecordsTableName', { value: this.recordsTable.tableName });
    new CfnOutput(this, 'BookingsQueueUrl', { value: this.bookings.queue.queueUrl });
    new CfnOutput(this, 'BookingsDlqUrl', { value: this.bookings.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'DecisionsQueueUrl', { value: this.decisions.queue.queueUrl });
    new CfnOutput(this, 'DecisionsQueueName', { value: this.decisions.queue.queueName });
    new CfnOutput(this, 'DecisionsDlqUrl', { value: this.decisions.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AuditTrailLogGroupName', { value: this.auditTrail.logGroupName });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
  }

  private table(id: string, definition: TableDefinition): Table {
    const table = new Table(this, id, {
      partitionKey: attribute(definition.partitionKey),
      sortKey: definition.sortKey ? attribute(definition.sortKey) : undefined,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: definition.timeToLiveAttribute,
    });
    for (const index of definition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: index.sortKey ? attribute(index.sortKey) : undefined,
      });
    }
    return table;
  }

  /** Daily AWS Backup recovery points in a vault encrypted with the same key. */
  private backUp(tables: Table[], retentionDays: number): void {
    const vault = new BackupVault(this, 'BackupVault', {
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = new BackupPlan(this, 'BackupPlan', { backupVault: vault });
    plan.addRule(
      new BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: Schedule.cron({ hour: '5', minute: '0' }),
        deleteAfter: Duration.days(retentionDays),
      }),
    );
    const selection = plan.addSelection('Tables', {
      resources: tables.map((table) => BackupResource.fromDynamoDbTable(table)),
    });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        'The role AWS Backup assumes to run backup jobs; AWSBackupServiceRolePolicyForBackup is the AWS-maintained permission set for it (DynamoDB backup APIs, KMS grants for encrypted tables) and follows service changes a hand-written copy would miss.',
    });
  }

  /** CloudWatch Logs encrypts log groups of this account and region with the key (and only those). */
  private allowLogsToUseKey(): void {
    const { region, account, partition } = Stack.of(this);
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogs',
        principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
        },
      }),
    );
  }

  /** CloudWatch alarms of this account publish to the KMS-encrypted alarm topic. */
  private allowCloudWatchAlarmsToUseKey(): void {
    const { region, account, partition } = Stack.of(this);
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
  }
}
