import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BOOKINGS_QUEUE,
  DECISIONS_QUEUE,
  GALLERY_TABLE,
  IDEMPOTENCY_TABLE,
  RECORDS_TABLE,
  RECORD_EVENT,
  type QueueDefinition,
} from '#functions/definitions';
import { properties, resources, synthesizePipeline, type SynthesizedPipeline } from './pipeline-fixture';

const DAY = 24 * 60 * 60;

describe('StatefulStack', () => {
  let synthesized: SynthesizedPipeline;
  let keyId: string;

  beforeAll(() => {
    // Prepare + Act (one synth per file)
    synthesized = synthesizePipeline();
    const { stateful } = synthesized.pipeline;
    keyId = stateful.getLogicalId(stateful.key.node.defaultChild as CfnElement);
  });

  it('has one customer-managed key with rotation on, retained, usable by CloudWatch Logs of this region only', () => {
    // Assess
    const { stateful } = synthesized;
    stateful.resourceCountIs('AWS::KMS::Key', 1);
    stateful.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    stateful.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  describe.each([
    ['galleryTable', GALLERY_TABLE],
    ['recordsTable', RECORDS_TABLE],
  ] as const)('%s', (property, definition) => {
    it('is on-demand, KMS-encrypted with the key, has PITR and deletion protection, and is retained', () => {
      // Assess
      const { stateful, pipeline } = synthesized;
      const table = pipeline.stateful[property];
      const logicalId = pipeline.stateful.getLogicalId(table.node.defaultChild as CfnElement);
      const resource = stateful.toJSON().Resources[logicalId];
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
      expect(resource.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        KeySchema: [
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: definition.sortKey?.name, KeyType: 'RANGE' },
        ],
      });
    });

    it('has the global secondary indexes of its definition', () => {
      // Assess
      const { stateful } = synthesized;
      const expected = definition.globalSecondaryIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
          ],
        }),
      );
      stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: Match.arrayWith([{ AttributeName: definition.partitionKey.name, KeyType: 'HASH' }]),
        GlobalSecondaryIndexes: expected.length > 0 ? Match.arrayEquals(expected) : Match.absent(),
      });
    });
  });

  it('keeps idempotency records in a KMS-encrypted table that expires them by TTL', () => {
    // Assess
    const { stateful } = synthesized;
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey.name, KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE.timeToLiveAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('keeps the audit trail in a retained log group, encrypted with the key, for at least a year (CJIS 5.4.7)', () => {
    // Assess
    const { stateful, pipeline } = synthesized;
    const logicalId = pipeline.stateful.getLogicalId(pipeline.stateful.auditTrail.node.defaultChild as never);
    const resource = stateful.toJSON().Resources[logicalId];
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(resource.Properties.RetentionInDays).toBeGreaterThanOrEqual(366);
  });

  it('backs both tables up daily to a vault encrypted with the key', () => {
    // Assess
    const { stateful } = synthesized;
    stateful.hasResourceProperties('AWS::Backup::BackupVault', {
      EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    const [selection] = resources(stateful, 'AWS::Backup::BackupSelection');
    const selected = JSON.stringify(properties(selection![1]));
    for (const id of ['GalleryTable', 'RecordsTable']) expect(selected).toContain(id);
  });

  describe.each([
    ['Bookings', BOOKINGS_QUEUE],
    ['Decisions', DECISIONS_QUEUE],
  ] as Array<[string, QueueDefinition]>)('%s queue', (id, definition) => {
    it('redrives to its own DLQ after maxReceiveCount receives', () => {
      // Assess
      const { stateful } = synthesized;
      stateful.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${id}DeadLetterQueue`), 'Arn'] },
          maxReceiveCount: definition.maxReceiveCount,
        },
        MessageRetentionPeriod: definition.retentionDays * DAY,
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
    });

    it('has a KMS-encrypted DLQ with the DLQ retention', () => {
      // Assess
      const { stateful } = synthesized;
      const dlqs = resources(stateful, 'AWS::SQS::Queue').filter(([logicalId]) =>
        logicalId.startsWith(`${id}DeadLetterQueue`),
      );
      expect(dlqs).toHaveLength(1);
      expect(properties(dlqs[0]![1])).toMatchObject({
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        MessageRetentionPeriod: definition.dlqRetentionDays * DAY,
      });
    });
  });

  it('denies non-TLS access to every queue', () => {
    // Assess
    const { stateful } = synthesized;
    const queueIds = resources(stateful, 'AWS::SQS::Queue').map(([logicalId]) => logicalId);
    expect(queueIds).toHaveLength(4);
    for (const queueId of queueIds) {
      stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('has a KMS-encrypted records event bus with an archive of the record events', () => {
    // Assess
    const { stateful } = synthesized;
    stateful.hasResourceProperties('AWS::Events::EventBus', {
      KmsKeyIdentifier: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    stateful.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: [RECORD_EVENT.source] },
      RetentionDays: 365,
    });
  });

  it('outputs the table names and queue URLs', () => {
    // Assess
    const { stateful } = synthesized;
    for (const output of [
      'GalleryTableName',
      'RecordsTableName',
      'BookingsQueueUrl',
      'BookingsDlqUrl',
      'DecisionsQueueUrl',
      'DecisionsDlqUrl',
      'EventBusName',
    ]) {
      stateful.hasOutput(output, {});
    }
  });
});

describe('StatefulStack props', () => {
  it('overrides maxReceiveCount per queue', () => {
    // Prepare + Act
    const { stateful } = synthesizePipeline({ stateful: { bookingsMaxReceiveCount: 7, decisionsMaxReceiveCount: 2 } });

    // Assess
    stateful.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BookingsDeadLetterQueue'), 'Arn'] },
        maxReceiveCount: 7,
      }),
    });
    stateful.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DecisionsDeadLetterQueue'), 'Arn'] },
        maxReceiveCount: 2,
      }),
    });
  });
});
