import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { ArnPrincipal, ManagedPolicy, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '#runtime/environment-variables';
import { LogQueries } from './constructs/log-queries';
import { Monitoring } from './constructs/monitoring';
import { PipelineFunction } from './constructs/pipeline-function';
import type { PipelineQueue } from './constructs/pipeline-queue';
import {
  API_DEFAULTS,
  API_FUNCTION_TIMEOUT_SECONDS,
  BOOKINGS_QUEUE,
  DECISIONS_QUEUE,
  FUNCTION_MEMORY_MB,
  type ConsumerSettings,
} from '#functions/definitions';

/** The consumer settings a deployment may override; the function timeout is not one of them (it fixes the visibility timeout). */
export type ConsumerOverrides = Partial<
  Pick<ConsumerSettings, 'batchSize' | 'maxConcurrency' | 'maxBatchingWindowSeconds'>
>;

/** Powertools service names (the `service` key of logs and the `service` metric dimension). */
export const SERVICE_NAMES = {
  ingest: 'ingest',
  getBooking: 'get-booking',
  match: 'match',
  decide: 'decide',
} as const;

export interface StatelessStackProps extends StackProps {
  /** Key of the stateful stack; encrypts the log groups and the alarm topic. */
  readonly key: IKey;
  readonly galleryTable: ITable;
  readonly recordsTable: ITable;
  readonly idempotencyTable: ITable;
  readonly bookings: PipelineQueue;
  readonly decisions: PipelineQueue;
  readonly eventBus: IEventBus;
  /** The audit trail's log group (append only). */
  readonly auditTrail: ILogGroup;
  /**
   * Pins one decision policy (e.g. `sc-2011`) instead of the one in force on the booking date.
   * @default - the policy in force on the booking date
   */
  readonly policyId?: string;
  /**
   * Overrides of the match function's event-source mapping on the bookings queue.
   * @default BOOKINGS_QUEUE.consumer: batchSize 10, maxConcurrency 9, maxBatchingWindowSeconds 1
   */
  readonly bookingsConsumer?: ConsumerOverrides;
  /**
   * Overrides of the decide function's event-source mapping on the decisions queue.
   * @default DECISIONS_QUEUE.consumer: batchSize 10, maxConcurrency 2, maxBatchingWindowSeconds 1
   */
  readonly decisionsConsumer?: ConsumerOverrides;
  /**
   * IAM principals (role or user ARNs, possibly in a jail's own account) of the jails' booking
   * systems: each gets a role it may assume, with the booking client policy and nothing else.
   * @default - none: attach the BookingClientPolicyArn output to the jail's role yourself
   */
  readonly jailPrincipalArns?: readonly string[];
  /**
   * Steady-state request rate of the HTTP API (requests per second, all routes).
   * @default 50
   */
  readonly apiRateLimit?: number;
  /**
   * Burst of the HTTP API (requests).
   * @default 100
   */
  readonly apiBurstLimit?: number;
  /**
   * Age of the oldest message (seconds) above which a queue alarms.
   * @default 300
   */
  readonly oldestMessageAgeThresholdSeconds?: number;
  /**
   * Email subscribed to the alarm topic.
   * @default - none
   */
  readonly alarmEmail?: string;
  /**
   * Retention of the function and API access log groups.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

function entry(name: string): string {
  return fileURLToPath(new URL(`../functions/${name}/handler.ts`, import.meta.url));
}

/**
 * The pipeline's code: the four functions, their event-source mappings, the HTTP API (IAM auth) and
 * the monitoring. Holds no data: it can be redeployed or destroyed without touching the tables.
 */
export class StatelessStack extends Stack {
  public readonly ingestFunction: PipelineFunction;
  public readonly getBookingFunction: PipelineFunction;
  public readonly matchFunction: PipelineFunction;
  public readonly decideFunction: PipelineFunction;
  public readonly api: HttpApi;
  public readonly apiStage: HttpStage;
  public readonly monitoring: Monitoring;
  public readonly logQueries: LogQueries;
  /** execute-api:Invoke on POST /bookings and GET /bookings/{submissionId} of this API, nothing else. */
  public readonly bookingClientPolicy: ManagedPolicy;
  public readonly jailRoles: Role[] = [];

  public constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Declared before any grant so grants on the other stack's key go to our roles' policies (not to
    // the key policy, which would make the stateful stack depend on this one).
    this.addStackDependency(Stack.of(props.key));

    const { key, galleryTable, recordsTable, idempotencyTable, bookings, decisions, eventBus, auditTrail } = props;
    const logRetention = props.logRetention ?? RetentionDays.ONE_YEAR;
    const common = { logKey: key, logRetention };

    this.ingestFunction = new PipelineFunction(this, 'IngestFunction', {
      ...common,
      entry: entry('ingest'),
      serviceName: SERVICE_NAMES.ingest,
      description: 'POST /bookings: validates a booking submission and queues it',
      timeout: Duration.seconds(API_FUNCTION_TIMEOUT_SECONDS),
      memorySize: FUNCTION_MEMORY_MB.ingest,
    })
      .bindTable({ table: recordsTable, accessMode: 'RW', envName: ENV.recordsTableName })
      .bindQueue({ queue: bookings.queue, envName: ENV.bookingsQueueUrl });

    this.getBookingFunction = new PipelineFunction(this, 'GetBookingFunction', {
      ...common,
      entry: entry('get-booking'),
      serviceName: SERVICE_NAMES.getBooking,
      description: 'GET /bookings/{submissionId}: status and outcome record of a submission',
      timeout: Duration.seconds(API_FUNCTION_TIMEOUT_SECONDS),
      memorySize: FUNCTION_MEMORY_MB['get-booking'],
    })
      .bindTable({ table: recordsTable, accessMode: 'RO', envName: ENV.recordsTableName })
      .bindAuditTrail({ logGroup: auditTrail, envName: ENV.auditLogGroupName });

    const matchConsumer = { ...BOOKINGS_QUEUE.consumer, ...props.bookingsConsumer };
    this.matchFunction = new PipelineFunction(this, 'MatchFunction', {
      ...common,
      entry: entry('match'),
      serviceName: SERVICE_NAMES.match,
      description: 'Bookings queue consumer: 1:N biometric search in the gallery',
      timeout: Duration.seconds(BOOKINGS_QUEUE.consumer.functionTimeoutSeconds),
      memorySize: FUNCTION_MEMORY_MB.match,
    })
      .bindTable({ table: galleryTable, accessMode: 'RO', envName: ENV.galleryTableName })
      .bindIdempotencyTable({ table: idempotencyTable, envName: ENV.idempotencyTableName })
      .bindQueue({ queue: decisions.queue, envName: ENV.decisionsQueueUrl })
      .bindDeadLetterQueue({
        queue: bookings.deadLetterQueue,
        maxReceiveCount: bookings.maxReceiveCount,
        urlEnvName: ENV.bookingsDlqUrl,
        maxReceiveCountEnvName: ENV.bookingsMaxReceiveCount,
      })
      .consumeQueue({
        queue: bookings.queue,
        batchSize: matchConsumer.batchSize,
        maxConcurrency: matchConsumer.maxConcurrency,
        maxBatchingWindow: Duration.seconds(matchConsumer.maxBatchingWindowSeconds),
      });

    const decideConsumer = { ...DECISIONS_QUEUE.consumer, ...props.decisionsConsumer };
    this.decideFunction = new PipelineFunction(this, 'DecideFunction', {
      ...common,
      entry: entry('decide'),
      serviceName: SERVICE_NAMES.decide,
      description: 'Decisions queue consumer: policy in force -> outcome record + audit entry + event',
      timeout: Duration.seconds(DECISIONS_QUEUE.consumer.functionTimeoutSeconds),
      memorySize: FUNCTION_MEMORY_MB.decide,
      environment: props.policyId ? { [ENV.policyId]: props.policyId } : undefined,
    })
      .bindTable({ table: recordsTable, accessMode: 'RW', envName: ENV.recordsTableName })
      .bindEventBus({ eventBus, envName: ENV.eventBusName })
      .bindAuditTrail({ logGroup: auditTrail, envName: ENV.auditLogGroupName })
      .bindDeadLetterQueue({
        queue: decisions.deadLetterQueue,
        maxReceiveCount: decisions.maxReceiveCount,
        urlEnvName: ENV.decisionsDlqUrl,
        maxReceiveCountEnvName: ENV.decisionsMaxReceiveCount,
      })
      .consumeQueue({
        queue: decisions.queue,
        batchSize: decideConsumer.batchSize,
        maxConcurrency: decideConsumer.maxConcurrency,
        maxBatchingWindow: Duration.seconds(decideConsumer.maxBatchingWindowSeconds),
      });

    const { api, stage } = this.httpApi(props, key, logRetention);
    this.api = api;
    this.apiStage = stage;

    this.monitoring = new Monitoring(this, 'Monitoring', {
      queues: [
        { name: 'bookings', queue: bookings.queue, deadLetterQueue: bookings.deadLetterQueue },
        { name: 'decisions', queue: decisions.queue, deadLetterQueue: decisions.deadLetterQueue },
      ],
      functions: [
        { name: 'ingest', function: this.ingestFunction, serviceName: SERVICE_NAMES.ingest },
        { name: 'getBooking', function: this.getBookingFunction, serviceName: SERVICE_NAMES.getBooking },
        { name: 'match', function: this.matchFunction, serviceName: SERVICE_NAMES.match },
        { name: 'decide', function: this.decideFunction, serviceName: SERVICE_NAMES.decide },
      ],
      recordsServiceName: SERVICE_NAMES.decide,
      searchServiceName: SERVICE_NAMES.match,
      ingestServiceName: SERVICE_NAMES.ingest,
      topicKey: key,
      oldestMessageAgeThresholdSeconds: props.oldestMessageAgeThresholdSeconds,
      alarmEmail: props.alarmEmail,
    });

    this.bookingClientPolicy = this.bookingClient(props.jailPrincipalArns ?? []);

    this.logQueries = new LogQueries(this, 'LogQueries', {
      searchLogGroups: [this.matchFunction.functionLogGroup],
      allLogGroups: [this.ingestFunction, this.getBookingFunction, this.matchFunction, this.decideFunction].map(
        (fn) => fn.functionLogGroup,
      ),
    });

    new CfnOutput(this, 'ApiUrl', {
      value: stage.url,
      description: 'HTTP API base URL (IAM auth: sign with SigV4, service execute-api)',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.alarmTopic.topicArn });
  }

  /**
   * The least privilege a jail's booking system needs: submitting bookings and reading their
   * status, on this API's stage only. One role per jail principal (its own trail in CloudTrail and
   * in the audit trail's `actor`), assumable by that principal only.
   */
  private bookingClient(jailPrincipalArns: readonly string[]): ManagedPolicy {
    const policy = new ManagedPolicy(this, 'BookingClientPolicy', {
      description: 'sc-pipeline: submit bookings and read their status through the HTTP API (SigV4)',
      statements: [
        new PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: [
            this.api.arnForExecuteApi('POST', '/bookings', this.apiStage.stageName),
            this.api.arnForExecuteApi('GET', '/bookings/*', this.apiStage.stageName),
          ],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<HttpApiF5A9A8A7>/$default/GET/bookings/*]',
      reason:
        'The route GET /bookings/{submissionId}: the wildcard is its path parameter (any booking id), on this API, stage and method only.',
    });
    jailPrincipalArns.forEach((principalArn, index) => {
      this.jailRoles.push(
        new Role(this, `JailRole${index}`, {
          description: `sc-pipeline booking client for ${principalArn}`,
          assumedBy: new ArnPrincipal(principalArn),
          managedPolicies: [policy],
          maxSessionDuration: Duration.hours(1),
        }),
      );
    });
    new CfnOutput(this, 'BookingClientPolicyArn', {
      value: policy.managedPolicyArn,
      description: "Attach to a jail system's role: POST /bookings and GET /bookings/{id} of this API only",
    });
    return policy;
  }

  private httpApi(
    props: StatelessStackProps,
    key: IKey,
    logRetention: RetentionDays,
  ): { api: HttpApi; stage: HttpStage } {
    const api = new HttpApi(this, 'HttpApi', {
      description: 'sc-pipeline: booking submissions in, submission status out (IAM auth)',
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      encryptionKey: key,
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.apiRateLimit ?? API_DEFAULTS.rateLimit,
        burstLimit: props.apiBurstLimit ?? API_DEFAULTS.burstLimit,
      },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No body, headers or query strings: bookings carry biometric and personal data.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationErrorMessage: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            userArn: '$context.identity.userArn',
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
    });

    const authorizer = new HttpIamAuthorizer();
    api.addRoutes({
      path: '/bookings',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestIntegration', this.ingestFunction),
      authorizer,
    });
    api.addRoutes({
      path: '/bookings/{submissionId}',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('GetBookingIntegration', this.getBookingFunction),
      authorizer,
    });
    return { api, stage };
  }
}
