import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import { functionEnvironment } from '#runtime/read-environment';
import { logger, metrics, tracer } from '#runtime/powertools';
import { sqsBatchHandler } from '#runtime/sqs-batch';
import { dynamoGalleryReader } from '#adapters/gallery-store';
import { sqsQueue } from '#adapters/queue-sender';
import { idempotentSearch } from './idempotent-search';
import { matchBooking } from './match-booking';
import { searchAndForward, type MatchPorts } from './search-and-forward';
import type { SearchBookingOptions } from './search-booking';

/** The match step's ports on AWS (or the local runtime), from the environment of the invocation. */
export function matchPortsFromEnvironment(): MatchPorts {
  return {
    openGallery: (onRead) => dynamoGalleryReader(functionEnvironment.galleryTableName(), { onRead }),
    decisions: sqsQueue(functionEnvironment.decisionsQueueUrl()),
  };
}

export interface MatchHandlerWiring {
  /** Built per search: the local runtime may set the environment after this module loads. */
  ports?: () => MatchPorts;
  timeStep?: SearchBookingOptions['timeStep'];
}

/** The bookings queue's consumer over the given ports. */
export function createMatchHandler({ ports = matchPortsFromEnvironment, timeStep }: MatchHandlerWiring = {}) {
  const idempotent = idempotentSearch((booking) => searchAndForward(booking, ports(), { timeStep }));
  return middy(
    sqsBatchHandler((record, context) => matchBooking(record, context, idempotent), {
      deadLetters: () => functionEnvironment.deadLetters('bookings'),
      keepOnLastReceive: (error) => error instanceof IdempotencyAlreadyInProgressError,
    }),
  )
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(injectLambdaContext(logger, { clearState: true }));
}

export const handler = createMatchHandler();
