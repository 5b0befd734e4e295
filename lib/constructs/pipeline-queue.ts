import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { visibilityTimeoutSeconds, type QueueDefinition } from '#functions/definitions';

export interface PipelineQueueProps {
  /** Retention, receive count and consumer settings (see `functions/definitions.ts`). */
  readonly definition: QueueDefinition;
  /** Key that encrypts the queue and its DLQ. */
  readonly encryptionKey: IKey;
  /**
   * Receives before a message moves to the DLQ.
   * @default definition.maxReceiveCount
   */
  readonly maxReceiveCount?: number;
}

/**
 * An SQS queue and its dead-letter queue, both KMS-encrypted and TLS-only. The visibility timeout is
 * derived from the consumer's function timeout (`visibilityTimeoutSeconds`, 6x), never set by hand.
 */
export class PipelineQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly maxReceiveCount: number;

  public constructor(scope: Construct, id: string, props: PipelineQueueProps) {
    super(scope, id);
    const { definition, encryptionKey } = props;
    this.maxReceiveCount = props.maxReceiveCount ?? definition.maxReceiveCount;

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      // Reuse data keys for 5 minutes: fewer KMS calls (cost) for the same protection.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      retentionPeriod: Duration.days(definition.dlqRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      retentionPeriod: Duration.days(definition.retentionDays),
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(definition.consumer)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
