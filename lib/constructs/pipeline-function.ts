import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import {
  ManagedPolicy,
  PolicyStatement,
  Role,
  ServicePrincipal,
  type AddToPrincipalPolicyResult,
  type RoleProps,
} from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LAMBDA_BUNDLE } from '#lib/bundling';

/** CloudWatch namespace of every custom (EMF) metric the functions emit. */
export const METRICS_NAMESPACE = 'ScPipeline';

/**
 * `RO`: GetItem, BatchGetItem, Query.
 * `RW`: the above + PutItem, UpdateItem, ConditionCheckItem (TransactWriteItems is authorized per
 * item action). No DeleteItem, BatchWriteItem or Scan: no function of the pipeline deletes,
 * bulk-writes or scans.
 */
export type TableAccessMode = 'RO' | 'RW';

const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];
const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey'];
/** An SQS producer on a KMS-encrypted queue: data key for new messages, Decrypt for reused data keys. */
const QUEUE_KEY_SEND_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

export interface BindTableOptions {
  readonly table: ITable;
  readonly accessMode: TableAccessMode;
  /** Environment variable that receives the table name (see `functions/runtime/environment-variables.ts`). */
  readonly envName: string;
  /**
   * Global secondary indexes the function queries (each is granted by name, never `index/*`).
   * @default - none: the table's primary key only
   */
  readonly indexNames?: readonly string[];
}

export interface BindQueueOptions {
  /** The queue the function sends to. */
  readonly queue: IQueue;
  /** Environment variable that receives the queue URL. */
  readonly envName: string;
}

export interface BindIdempotencyTableOptions {
  /** The table of Powertools idempotency records (`functions/definitions.ts` IDEMPOTENCY_TABLE). */
  readonly table: ITable;
  /** Environment variable that receives the table name. */
  readonly envName: string;
}

export interface BindDeadLetterQueueOptions {
  /** The DLQ of the queue the function consumes. */
  readonly queue: IQueue;
  /** Receives the consumed queue allows before its redrive policy moves a message. */
  readonly maxReceiveCount: number;
  /** Environment variables that receive the DLQ URL and the receive count. */
  readonly urlEnvName: string;
  readonly maxReceiveCountEnvName: string;
}

export interface BindAuditTrailOptions {
  /** The audit trail's log group. */
  readonly logGroup: ILogGroup;
  /** Environment variable that receives the log group's name. */
  readonly envName: string;
}

export interface BindEventBusOptions {
  readonly eventBus: IEventBus;
  /** Environment variable that receives the bus name. */
  readonly envName: string;
}

export interface ConsumeQueueOptions {
  /** The queue the function consumes (through an event-source mapping). */
  readonly queue: IQueue;
  /** Records per batch. */
  readonly batchSize: number;
  /** Cap on concurrent invocations from the mapping (2 to 1000). */
  readonly maxConcurrency: number;
  /** How long the mapping may wait to fill a batch. */
  readonly maxBatchingWindow: Duration;
}

export interface PipelineFunctionProps {
  /** Path of the handler module (exports `handler`). */
  readonly entry: string;
  /** Powertools service name: the `service` key of every log line and the `service` metric dimension. */
  readonly serviceName: string;
  /** Key that encrypts the function's log group. */
  readonly logKey: IKey;
  /**
   * Function timeout. For an SQS consumer this must be the `functionTimeoutSeconds` the queue's
   * visibility timeout was derived from.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB (CPU scales with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * Application log level (Lambda advanced logging controls; Powertools Logger follows it).
   * @default ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: ApplicationLogLevel;
  /**
   * Extra environment variables.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * What happens to the log group when the stack is deleted or the function replaced.
   * @default RemovalPolicy.RETAIN (logs are part of the audit trail)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * A description of the function.
   * @default - none
   */
  readonly description?: string;
}

/**
 * A Lambda function with the pipeline's defaults fixed once: Node.js 22 on arm64, X-Ray active
 * tracing, JSON logs to an explicit KMS-encrypted log group with a retention, an ESM bundle built by
 * the local esbuild as `lib/bundling.ts` says (AWS SDK bundled and tree-shaken, minified, source maps), and a role of its own
 * that starts with nothing but write access to its log group. The `bind*` and `consumeQueue`
 * methods set the environment variable a handler reads and grant exactly the access it needs.
 */
export class PipelineFunction extends NodejsFunction {
  public readonly serviceName: string;
  public readonly functionLogGroup: LogGroup;

  public constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      encryptionKey: props.logKey,
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // A role of our own instead of the AWS-managed AWSLambdaBasicExecutionRole (which allows
    // logs:CreateLogGroup/PutLogEvents on every log group in the account).
    const role = new PipelineFunctionRole(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.serviceName} function`,
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );

    const functionProps: NodejsFunctionProps = {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: props.applicationLogLevel ?? ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourceMap,
        sourcesContent: LAMBDA_BUNDLE.sourcesContent,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        externalModules: [...LAMBDA_BUNDLE.externalModules],
        banner: LAMBDA_BUNDLE.banner,
        esbuildArgs: {
          '--alias': Object.entries(LAMBDA_BUNDLE.alias).map(([module, path]) => `${module}=${path}`),
        },
        forceDockerBundling: false,
      },
    };
    super(scope, id, functionProps);
    this.serviceName = props.serviceName;
    this.functionLogGroup = logGroup;

    // Tracing.ACTIVE adds xray:PutTraceSegments / xray:PutTelemetryRecords on "*" to the role.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement added by Tracing.ACTIVE: PutTraceSegments and PutTelemetryRecords do not support resource-level permissions, "*" is the only resource AWS accepts.',
    });
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to nodejs22.x on purpose: the bundle targets node22 and the project builds and tests on that major; moving to a newer runtime is a deliberate change of runtime, esbuild target and CI together.',
      },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason:
          'Concurrency is capped at the source: SQS event-source mapping MaximumConcurrency for the consumers and API stage throttling for the API functions. Reserved concurrency would also fail to deploy on accounts with the default low concurrency quota.',
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason:
          'Never invoked asynchronously (only API Gateway, synchronous, and SQS event-source mappings), so a function DLQ would never receive anything; failed SQS messages go to the queue redrive DLQ, which alarms.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason:
          'The functions only call AWS public service endpoints (DynamoDB, SQS, EventBridge, X-Ray, CloudWatch Logs) over TLS with IAM/SigV4 and reach no private resource. A VPC would add interface endpoints for no reachable private resource.',
      },
    );
  }

  /** Sets `envName` to the table name and grants the `accessMode` actions (and the key use) on the table. */
  public bindTable({ table, accessMode, envName, indexNames = [] }: BindTableOptions): this {
    this.addEnvironment(envName, table.tableName);
    const write = accessMode === 'RW';
    this.addToRolePolicy(
      new PolicyStatement({
        actions: write ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : TABLE_READ_ACTIONS,
        resources: [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)],
      }),
    );
    if (table.encryptionKey) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: write ? [...TABLE_KEY_READ_ACTIONS, ...TABLE_KEY_WRITE_ACTIONS] : TABLE_KEY_READ_ACTIONS,
          resources: [table.encryptionKey.keyArn],
        }),
      );
    }
    return this;
  }

  /** Sets `envName` to the queue URL and grants sqs:SendMessage (and the key use) on that queue only. */
  public bindQueue({ queue, envName }: BindQueueOptions): this {
    this.addEnvironment(envName, queue.queueUrl);
    this.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    if (queue.encryptionMasterKey) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: QUEUE_KEY_SEND_ACTIONS, resources: [queue.encryptionMasterKey.keyArn] }),
      );
    }
    return this;
  }

  /**
   * Sets `envName` to the idempotency table's name and grants what Powertools idempotency does on it:
   * get, put and update its records, and delete one when the function fails, so a retry may run.
   * DeleteItem is granted on this table only.
   */
  public bindIdempotencyTable({ table, envName }: BindIdempotencyTableOptions): this {
    this.addEnvironment(envName, table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
      }),
    );
    if (table.encryptionKey) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: [...TABLE_KEY_READ_ACTIONS, ...TABLE_KEY_WRITE_ACTIONS],
          resources: [table.encryptionKey.keyArn],
        }),
      );
    }
    return this;
  }

  /**
   * Lets the function dead-letter a message itself, with the reason attached (poison at once, any
   * other on its last receive): the DLQ's URL and the receive count in its environment, and
   * sqs:SendMessage on that DLQ only.
   */
  public bindDeadLetterQueue(options: BindDeadLetterQueueOptions): this {
    this.bindQueue({ queue: options.queue, envName: options.urlEnvName });
    this.addEnvironment(options.maxReceiveCountEnvName, String(options.maxReceiveCount));
    return this;
  }

  /**
   * Sets `envName` to the audit trail's log group and grants appending to it only: creating a stream
   * and putting events. No action that deletes or changes a stream, an event or the retention.
   */
  public bindAuditTrail({ logGroup, envName }: BindAuditTrailOptions): this {
    this.addEnvironment(envName, logGroup.logGroupName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // The group's ARN ends in ":*": its log streams.
        resources: [logGroup.logGroupArn],
      }),
    );
    return this;
  }

  /** Sets `envName` to the bus name and grants events:PutEvents on that bus only. */
  public bindEventBus({ eventBus, envName }: BindEventBusOptions): this {
    this.addEnvironment(envName, eventBus.eventBusName);
    eventBus.grantPutEventsTo(this);
    return this;
  }

  /**
   * Consumes `queue` through an event-source mapping that reports partial batch failures, so one bad
   * message is retried (and eventually goes to the DLQ) without the rest of its batch.
   */
  public consumeQueue({ queue, batchSize, maxConcurrency, maxBatchingWindow }: ConsumeQueueOptions): this {
    this.addEventSource(
      new SqsEventSource(queue, {
        batchSize,
        maxConcurrency,
        maxBatchingWindow,
        reportBatchItemFailures: true,
      }),
    );
    return this;
  }
}

/**
 * A role whose permissions all go to one customer-managed policy instead of an inline
 * `DefaultPolicy` (NIST 800-53 R5 IAMNoInlinePolicy): grants made through the role (`grant*`,
 * `addToRolePolicy`, event sources) land in that policy.
 */
export class PipelineFunctionRole extends Role {
  public readonly policy: ManagedPolicy;

  public constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id, props);
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: props.description ? `Permissions of: ${props.description}` : undefined,
      roles: [this],
    });
  }

  public override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
