import { ENV } from '#runtime/environment-variables';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/emulators/local-credentials';
import type { LocalResources } from '#local/provision';
import { FUNCTION_ENVIRONMENT, LOCAL_STAND_INS, type FunctionSpec } from './functions';

export interface EnvironmentInputs {
  resources: LocalResources;
  endpoints: { dynamodb: string; sqs: string };
  functionName: string;
  policyId?: string;
  logLevel?: string;
}

/** The value of each variable a function may be bound to, from the local tables and queues. */
export function localVariables(resources: LocalResources, policyId?: string): Record<string, string | undefined> {
  return {
    [ENV.galleryTableName]: resources.tables.gallery,
    [ENV.recordsTableName]: resources.tables.records,
    [ENV.idempotencyTableName]: resources.tables.idempotency,
    [ENV.bookingsQueueUrl]: resources.queues.bookings.url,
    [ENV.decisionsQueueUrl]: resources.queues.decisions.url,
    [ENV.bookingsDlqUrl]: resources.queues.bookings.dlqUrl,
    [ENV.bookingsMaxReceiveCount]: String(resources.queues.bookings.definition.maxReceiveCount),
    [ENV.decisionsDlqUrl]: resources.queues.decisions.dlqUrl,
    [ENV.decisionsMaxReceiveCount]: String(resources.queues.decisions.definition.maxReceiveCount),
    [ENV.localEventsQueueUrl]: resources.eventsQueueUrl,
    [ENV.localAuditQueueUrl]: resources.auditQueueUrl,
    [ENV.policyId]: policyId,
  };
}

const PIPELINE_VARIABLES = new Set<string>(Object.values(ENV));

/**
 * The variables of one function's execution environments: this process's own (PATH, Node's
 * settings, Powertools defaults) without any pipeline variable, then what Lambda sets (function
 * name, memory, region, credentials), the Powertools service name the stack sets, the variables the
 * stack binds to this function (stand-in queues for the bus and the log group) and the emulators'
 * endpoints.
 */
export function environmentVariables(spec: FunctionSpec, inputs: EnvironmentInputs): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !PIPELINE_VARIABLES.has(name) && !name.startsWith('AWS_')) env[name] = value;
  }
  Object.assign(env, {
    AWS_LAMBDA_FUNCTION_NAME: inputs.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: spec.key,
    [ENV.dynamodbEndpoint]: inputs.endpoints.dynamodb,
    [ENV.sqsEndpoint]: inputs.endpoints.sqs,
  });
  if (inputs.logLevel) env.POWERTOOLS_LOG_LEVEL = inputs.logLevel;
  const values = localVariables(inputs.resources, inputs.policyId);
  for (const name of FUNCTION_ENVIRONMENT[spec.key]) {
    const localName = LOCAL_STAND_INS[name] ?? name;
    const value = values[localName];
    if (value !== undefined) env[localName] = value;
  }
  return env;
}
