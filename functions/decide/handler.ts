import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { TimeStep } from '#core/ports';
import { functionEnvironment } from '#runtime/read-environment';
import { logger, metrics, tracer } from '#runtime/powertools';
import { sqsBatchHandler } from '#runtime/sqs-batch';
import { cloudWatchAuditTrail } from '#adapters/audit-trail';
import { recordEventPublisher } from '#adapters/event-publisher';
import { dynamoRecordStore } from '#adapters/record-store';
import type { DecidePorts } from './decide-ports';
import { routeMessage } from './route-message';

/** The decide step's ports on AWS (or the local runtime), from the environment of the invocation. */
export function decidePortsFromEnvironment(): DecidePorts {
  return {
    records: dynamoRecordStore(functionEnvironment.recordsTableName()),
    audit: cloudWatchAuditTrail,
    events: recordEventPublisher,
  };
}

export interface DecideHandlerWiring {
  /** Built per invocation: the local runtime may set the environment after this module loads. */
  ports?: () => DecidePorts;
  timeStep?: TimeStep<'decision'>;
}

/** The decisions queue's consumer over the given ports. */
export function createDecideHandler({ ports = decidePortsFromEnvironment, timeStep }: DecideHandlerWiring = {}) {
  return middy(
    // Two copies of a match result in one batch must not race to publish the event: one booking's
    // records run one after another, different bookings' in parallel.
    sqsBatchHandler(
      (record, context) =>
        routeMessage(record, context, ports(), { pinnedPolicyId: functionEnvironment.pinnedPolicyId(), timeStep }),
      { deadLetters: () => functionEnvironment.deadLetters('decisions'), oneAtATimePerBooking: true },
    ),
  )
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger, { clearState: true }));
}

export const handler = createDecideHandler();
