import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#runtime/environment-variables';
import {
  API_FUNCTION_TIMEOUT_SECONDS,
  BOOKINGS_QUEUE,
  DECISIONS_QUEUE,
  FUNCTION_MEMORY_MB,
  VISIBILITY_TIMEOUT_FACTOR,
} from '#functions/definitions';
import { FUNCTION_ENVIRONMENT, functionSpecs } from '#local/environments/functions';
import {
  asArray,
  importedLogicalId,
  policyStatements,
  properties,
  resources,
  synthesizePipeline,
  type SynthesizedPipeline,
} from './pipeline-fixture';

type Json = Record<string, unknown>;

describe('StatelessStack', () => {
  let synthesized: SynthesizedPipeline;

  beforeAll(() => {
    // Prepare + Act (one synth per file)
    synthesized = synthesizePipeline({ stateless: { policyId: 'sc-2011' } });
  });

  function functionProps(id: 'IngestFunction' | 'GetBookingFunction' | 'MatchFunction' | 'DecideFunction'): Json {
    const fn = resources(synthesized.stateless, 'AWS::Lambda::Function').find(([logicalId]) =>
      logicalId.startsWith(id),
    );
    if (!fn) throw new Error(`No function ${id}`);
    return properties(fn[1]);
  }

  function managedPolicyOf(functionId: string): Json[] {
    const policy = resources(synthesized.stateless, 'AWS::IAM::ManagedPolicy').find(([logicalId]) =>
      logicalId.startsWith(`${functionId}RolePolicy`),
    );
    if (!policy) throw new Error(`No managed policy for ${functionId}`);
    return (properties(policy[1]).PolicyDocument as { Statement: Json[] }).Statement;
  }

  function actionsOn(statements: Json[], service: string): string[] {
    return statements
      .flatMap((statement) => asArray(statement.Action as string | string[]))
      .filter((action) => action.startsWith(`${service}:`));
  }

  const FUNCTION_IDS = {
    ingest: 'IngestFunction',
    'get-booking': 'GetBookingFunction',
    match: 'MatchFunction',
    decide: 'DecideFunction',
  } as const;

  it('binds each function the variables, memory and timeout the local runtime gives its environments', () => {
    // Assess: the local execution environments get these and no other pipeline variables.
    const specs = functionSpecs();
    for (const [key, id] of Object.entries(FUNCTION_IDS) as Array<[keyof typeof FUNCTION_IDS, string]>) {
      const props = functionProps(id as Parameters<typeof functionProps>[0]);
      const names = Object.keys((props.Environment as { Variables: Json }).Variables);
      const own = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'NODE_OPTIONS'];
      expect(names.filter((name) => !own.includes(name)).sort(), key).toEqual([...FUNCTION_ENVIRONMENT[key]].sort());
      expect(props.MemorySize, key).toBe(specs[key].memoryMb);
      expect(props.Timeout, key).toBe(specs[key].timeoutSeconds);
    }
    expect(specs.ingest.timeoutSeconds).toBe(API_FUNCTION_TIMEOUT_SECONDS);
  });

  it('runs every function on nodejs22.x, arm64, with active tracing and JSON logs', () => {
    // Assess
    const functions = resources(synthesized.stateless, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(4);
    for (const [, fn] of functions) {
      expect(properties(fn)).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: expect.any(String),
            POWERTOOLS_METRICS_NAMESPACE: 'ScPipeline',
            NODE_OPTIONS: '--enable-source-maps',
          }),
        },
      });
    }
  });

  it('gives each function the memory of functions/definitions.ts (the benchmark’s recommendation)', () => {
    // Assess
    const memoryByService = Object.fromEntries(
      resources(synthesized.stateless, 'AWS::Lambda::Function').map(([, fn]) => {
        const props = properties(fn) as { MemorySize: number; Environment: { Variables: Record<string, string> } };
        return [props.Environment.Variables.POWERTOOLS_SERVICE_NAME, props.MemorySize];
      }),
    );
    expect(memoryByService).toEqual(FUNCTION_MEMORY_MB);
  });

  it('gives every log group (functions and API access logs) the stateful key and a retention of at least a year', () => {
    // Assess
    const { stateless, stateful } = synthesized;
    const logGroups = resources(stateless, 'AWS::Logs::LogGroup');
    expect(logGroups).toHaveLength(5);
    const keyId = resources(stateful, 'AWS::KMS::Key')[0]![0];
    for (const [, logGroup] of logGroups) {
      const props = properties(logGroup);
      expect(importedLogicalId(stateful, props.KmsKeyId)).toBe(keyId);
      expect(props.RetentionInDays).toBeGreaterThanOrEqual(365);
    }
  });

  describe.each([
    ['MatchFunction', 'Bookings', BOOKINGS_QUEUE],
    ['DecideFunction', 'Decisions', DECISIONS_QUEUE],
  ] as const)('%s', (functionId, queueId, definition) => {
    it('consumes its queue with partial batch failures and the consumer settings', () => {
      // Assess
      const { stateless, stateful } = synthesized;
      const mappings = resources(stateless, 'AWS::Lambda::EventSourceMapping').filter(([, mapping]) =>
        (properties(mapping).FunctionName as { Ref: string }).Ref.startsWith(functionId),
      );
      expect(mappings).toHaveLength(1);
      const mapping = properties(mappings[0]![1]);
      expect(mapping).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: definition.consumer.batchSize,
        MaximumBatchingWindowInSeconds: definition.consumer.maxBatchingWindowSeconds,
        ScalingConfig: { MaximumConcurrency: definition.consumer.maxConcurrency },
      });
      expect(importedLogicalId(stateful, mapping.EventSourceArn)).toMatch(new RegExp(`^${queueId}Queue`));
    });

    it(`has a queue visibility timeout of at least ${VISIBILITY_TIMEOUT_FACTOR}x its timeout (both read from the templates)`, () => {
      // Assess
      const { stateless, stateful } = synthesized;
      const mappingResource = resources(stateless, 'AWS::Lambda::EventSourceMapping').find(([, candidate]) =>
        (properties(candidate).FunctionName as { Ref: string }).Ref.startsWith(functionId),
      );
      if (!mappingResource) throw new Error(`No event-source mapping for ${functionId}`);
      const mapping = properties(mappingResource[1]);
      const functionTimeout = properties(
        stateless.toJSON().Resources[(mapping.FunctionName as { Ref: string }).Ref] as Json,
      ).Timeout as number;
      const queue = properties(
        stateful.toJSON().Resources[importedLogicalId(stateful, mapping.EventSourceArn)] as Json,
      );
      expect(functionTimeout).toBe(definition.consumer.functionTimeoutSeconds);
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(VISIBILITY_TIMEOUT_FACTOR * functionTimeout);
    });
  });

  it('routes POST /bookings and GET /bookings/{submissionId} with IAM authorization', () => {
    // Assess
    const { stateless } = synthesized;
    for (const routeKey of ['POST /bookings', 'GET /bookings/{submissionId}']) {
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'AWS_IAM' });
    }
    for (const [, route] of resources(stateless, 'AWS::ApiGatewayV2::Route')) {
      expect(properties(route).AuthorizationType).toBe('AWS_IAM');
    }
  });

  it('throttles the API stage and writes JSON access logs without request bodies to an encrypted log group', () => {
    // Assess
    const { stateless } = synthesized;
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
    const [stage] = resources(stateless, 'AWS::ApiGatewayV2::Stage');
    const format = (properties(stage![1]).AccessLogSettings as { Format: string }).Format;
    expect(JSON.parse(format)).not.toHaveProperty('body');
    expect(format).not.toMatch(/requestBody|\$input|querystring/i);
  });

  it('gives each function its table and queue names and the pinned policy', () => {
    // Assess
    expect(functionProps('IngestFunction').Environment).toMatchObject({
      Variables: { [ENV.recordsTableName]: expect.anything(), [ENV.bookingsQueueUrl]: expect.anything() },
    });
    expect(functionProps('GetBookingFunction').Environment).toMatchObject({
      Variables: { [ENV.recordsTableName]: expect.anything() },
    });
    expect(functionProps('MatchFunction').Environment).toMatchObject({
      Variables: {
        [ENV.galleryTableName]: expect.anything(),
        [ENV.decisionsQueueUrl]: expect.anything(),
        [ENV.idempotencyTableName]: expect.anything(),
        [ENV.bookingsDlqUrl]: expect.anything(),
        [ENV.bookingsMaxReceiveCount]: String(BOOKINGS_QUEUE.maxReceiveCount),
      },
    });
    expect(functionProps('DecideFunction').Environment).toMatchObject({
      Variables: {
        [ENV.recordsTableName]: expect.anything(),
        [ENV.eventBusName]: expect.anything(),
        [ENV.policyId]: 'sc-2011',
        [ENV.decisionsDlqUrl]: expect.anything(),
        [ENV.decisionsMaxReceiveCount]: String(DECISIONS_QUEUE.maxReceiveCount),
      },
    });
  });

  it('grants each function only the data access it needs', () => {
    // Assess
    const write = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
    expect(actionsOn(managedPolicyOf('GetBookingFunction'), 'dynamodb').sort()).toEqual(
      ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'].sort(),
    );
    // The match function writes (and deletes) only idempotency records; the gallery is read-only to it.
    const { pipeline, stateful } = synthesized;
    const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
      pipeline.stateful.getLogicalId(construct.node.defaultChild as never);
    const tableOf = (statement: Json) =>
      asArray(statement.Resource as unknown)
        .filter((resource) => typeof resource === 'object' && resource !== null && 'Fn::ImportValue' in resource)
        .map((resource) => importedLogicalId(stateful, resource));
    const matchWrites = managedPolicyOf('MatchFunction').filter((statement) =>
      asArray(statement.Action as string | string[]).some((action) =>
        ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].includes(action),
      ),
    );
    expect(matchWrites.flatMap(tableOf)).toEqual([logicalIdOf(pipeline.stateful.idempotencyTable)]);
    expect(actionsOn(managedPolicyOf('IngestFunction'), 'dynamodb')).toEqual(expect.arrayContaining(write));
    expect(actionsOn(managedPolicyOf('DecideFunction'), 'dynamodb')).toEqual(expect.arrayContaining(write));
    expect(actionsOn(managedPolicyOf('DecideFunction'), 'events')).toEqual(['events:PutEvents']);
    expect(actionsOn(managedPolicyOf('MatchFunction'), 'events')).toEqual([]);
    for (const functionId of ['IngestFunction', 'GetBookingFunction', 'DecideFunction']) {
      const actions = actionsOn(managedPolicyOf(functionId), 'dynamodb');
      expect(actions).not.toEqual(expect.arrayContaining(['dynamodb:DeleteItem']));
      expect(actions).not.toEqual(expect.arrayContaining(['dynamodb:Scan']));
    }
  });

  it('has no inline role policies and no IAM statement with Action "*"', () => {
    // Assess
    const { stateless, stateful } = synthesized;
    stateless.resourceCountIs('AWS::IAM::Policy', 0);
    for (const template of [stateless, stateful]) {
      for (const statement of policyStatements(template)) {
        expect(asArray(statement.Action as string | string[])).not.toContain('*');
      }
    }
  });

  it('uses wildcard resources only for X-Ray', () => {
    // Assess
    const { stateless } = synthesized;
    const identityStatements = resources(stateless, 'AWS::IAM::ManagedPolicy').flatMap(
      ([, policy]) => (properties(policy).PolicyDocument as { Statement: Json[] }).Statement,
    );
    for (const statement of identityStatements.filter((s) => asArray(s.Resource).includes('*'))) {
      expect(asArray(statement.Action as string | string[]).every((action) => action.startsWith('xray:'))).toBe(true);
    }
  });

  it('lets the functions that write or read records append to the audit trail, and no role change or delete it', () => {
    // Assess
    const { stateful, stateless, pipeline } = synthesized;
    const auditId = pipeline.stateful.getLogicalId(pipeline.stateful.auditTrail.node.defaultChild as never);
    const appendersOf = (functionId: string) =>
      managedPolicyOf(functionId).filter((statement) =>
        asArray(statement.Resource as unknown).some(
          (resource) =>
            typeof resource === 'object' &&
            resource !== null &&
            'Fn::ImportValue' in resource &&
            importedLogicalId(stateful, resource) === auditId,
        ),
      );
    for (const functionId of ['DecideFunction', 'GetBookingFunction']) {
      const statements = appendersOf(functionId);
      expect(statements.flatMap((s) => asArray(s.Action as string | string[])).sort()).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]);
      expect(functionProps(functionId as 'DecideFunction').Environment).toMatchObject({
        Variables: { [ENV.auditLogGroupName]: expect.anything() },
      });
    }
    for (const template of [stateless, stateful]) {
      const actions = policyStatements(template).flatMap((statement) => asArray(statement.Action as string | string[]));
      expect(actions.filter((action) => /^logs:(Delete|PutRetentionPolicy|Untag|Disassociate)/.test(action))).toEqual(
        [],
      );
    }
  });

  it('outputs the API URL', () => {
    // Assess
    synthesized.stateless.hasOutput('ApiUrl', {});
  });
});

describe('StatelessStack props', () => {
  it('overrides batch size, max concurrency and batching window per consumer, and API throttling', () => {
    // Prepare + Act
    const { stateless } = synthesizePipeline({
      stateless: {
        bookingsConsumer: { batchSize: 5, maxConcurrency: 50 },
        decisionsConsumer: { maxBatchingWindowSeconds: 3 },
        apiRateLimit: 5,
        apiBurstLimit: 10,
      },
    });

    // Assess
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^MatchFunction') },
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 50 },
      MaximumBatchingWindowInSeconds: BOOKINGS_QUEUE.consumer.maxBatchingWindowSeconds,
    });
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^DecideFunction') },
      BatchSize: DECISIONS_QUEUE.consumer.batchSize,
      ScalingConfig: { MaximumConcurrency: DECISIONS_QUEUE.consumer.maxConcurrency },
      MaximumBatchingWindowInSeconds: 3,
    });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });
});

describe('StatelessStack: jail booking clients', () => {
  it('gives each jail principal a role that can only submit bookings and read their status', () => {
    // Prepare + Act
    const jail = 'arn:aws:iam::111122223333:role/jail-a';
    const { stateless } = synthesizePipeline({ stateless: { jailPrincipalArns: [jail] } });

    // Assess
    const [policy] = resources(stateless, 'AWS::IAM::ManagedPolicy').filter(([id]) =>
      id.startsWith('BookingClientPolicy'),
    );
    const statements = (properties(policy![1]).PolicyDocument as { Statement: Json[] }).Statement;
    expect(statements.map((s) => s.Action)).toEqual(['execute-api:Invoke']);
    const routes = asArray(statements[0]?.Resource as unknown[]).map((r) => JSON.stringify(r));
    expect(routes.map((r) => /\/\$default\/(\w+\/bookings[^"]*)"/.exec(r)?.[1]).sort()).toEqual([
      'GET/bookings/*',
      'POST/bookings',
    ]);
    const roles = resources(stateless, 'AWS::IAM::Role').filter(([id]) => id.startsWith('JailRole'));
    expect(roles).toHaveLength(1);
    expect(properties(roles[0]![1])).toMatchObject({
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Principal: { AWS: jail } }] },
      ManagedPolicyArns: [{ Ref: policy![0] }],
      MaxSessionDuration: 3600,
    });
  });
});
