import { Tags, Validations, type App, type Environment, type StackProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { StatefulStack, type StatefulStackProps } from './stateful-stack';
import { StatelessStack, type ConsumerOverrides, type StatelessStackProps } from './stateless-stack';

type OwnProps<T> = Omit<T, keyof StackProps>;

export interface PipelineProps {
  /**
   * Prefix of the stack names: `<prefix>Stateful` and `<prefix>Stateless`.
   * @default 'ScPipeline'
   */
  readonly stackPrefix?: string;
  /**
   * Account and region.
   * @default - environment-agnostic (resolved at deploy time)
   */
  readonly env?: Environment;
  /** @default - the defaults of `StatefulStackProps` */
  readonly stateful?: OwnProps<StatefulStackProps>;
  /** @default - the defaults of `StatelessStackProps` */
  readonly stateless?: Omit<
    OwnProps<StatelessStackProps>,
    'key' | 'galleryTable' | 'recordsTable' | 'idempotencyTable' | 'auditTrail' | 'bookings' | 'decisions' | 'eventBus'
  >;
}

export interface Pipeline {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** Both stacks of the pipeline, the stateless one wired to the resources of the stateful one. */
export function createPipeline(app: App, props: PipelineProps = {}): Pipeline {
  const prefix = props.stackPrefix ?? 'ScPipeline';
  const stateful = new StatefulStack(app, `${prefix}Stateful`, {
    env: props.env,
    description: 'sc-pipeline (synthetic data): key, tables, queues and DLQs, records event bus',
    ...props.stateful,
  });
  const stateless = new StatelessStack(app, `${prefix}Stateless`, {
    env: props.env,
    description: 'sc-pipeline (synthetic data): functions, HTTP API, dashboard and alarms',
    ...props.stateless,
    key: stateful.key,
    galleryTable: stateful.galleryTable,
    recordsTable: stateful.recordsTable,
    idempotencyTable: stateful.idempotencyTable,
    bookings: stateful.bookings,
    decisions: stateful.decisions,
    eventBus: stateful.eventBus,
    auditTrail: stateful.auditTrail,
  });
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('project', 'sc-pipeline');
    Tags.of(stack).add('data-classification', 'cji-synthetic');
  }
  return { stateful, stateless };
}

/** Runs the cdk-nag AWS Solutions and NIST 800-53 rev 5 packs on every stack at synth. */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
}

function numberFromContext(app: App, key: string): number | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`Context ${key} must be a number, got ${String(value)}`);
  return parsed;
}

function stringFromContext(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function consumerFromContext(app: App, queue: 'bookings' | 'decisions'): ConsumerOverrides | undefined {
  const overrides: ConsumerOverrides = {
    batchSize: numberFromContext(app, `${queue}BatchSize`),
    maxConcurrency: numberFromContext(app, `${queue}MaxConcurrency`),
    maxBatchingWindowSeconds: numberFromContext(app, `${queue}MaxBatchingWindowSeconds`),
  };
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return defined.length > 0 ? (Object.fromEntries(defined) as ConsumerOverrides) : undefined;
}

/**
 * Pipeline props from CDK context (`cdk synth -c policyId=sc-2011 -c alarmEmail=ops@example.org`):
 * stackPrefix, policyId, alarmEmail, oldestMessageAgeThresholdSeconds, apiRateLimit, apiBurstLimit,
 * bookingsMaxReceiveCount, decisionsMaxReceiveCount, jailPrincipalArns (comma-separated), and per queue (`bookings`, `decisions`)
 * `<queue>BatchSize`, `<queue>MaxConcurrency`, `<queue>MaxBatchingWindowSeconds`.
 */
export function pipelinePropsFromContext(app: App): PipelineProps {
  return {
    stackPrefix: stringFromContext(app, 'stackPrefix'),
    stateful: {
      bookingsMaxReceiveCount: numberFromContext(app, 'bookingsMaxReceiveCount'),
      decisionsMaxReceiveCount: numberFromContext(app, 'decisionsMaxReceiveCount'),
    },
    stateless: {
      policyId: stringFromContext(app, 'policyId'),
      alarmEmail: stringFromContext(app, 'alarmEmail'),
      oldestMessageAgeThresholdSeconds: numberFromContext(app, 'oldestMessageAgeThresholdSeconds'),
      apiRateLimit: numberFromContext(app, 'apiRateLimit'),
      apiBurstLimit: numberFromContext(app, 'apiBurstLimit'),
      jailPrincipalArns: stringFromContext(app, 'jailPrincipalArns')
        ?.split(',')
        .map((arn) => arn.trim())
        .filter((arn) => arn !== ''),
      bookingsConsumer: consumerFromContext(app, 'bookings'),
      decisionsConsumer: consumerFromContext(app, 'decisions'),
    },
  };
}
