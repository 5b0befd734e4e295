import type { SQSRecord } from 'aws-lambda';
import { parseJsonBody } from '#runtime/sqs-batch';
import type { DecideOptions, DecidePorts, Invocation } from './decide-ports';
import { decideMatch } from './decide-match';
import { reviewCase } from './review-case';

/** The decisions queue carries two kinds of message: review requests (`kind: 'review'`) and match results. */
export function isReviewRequest(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'review';
}

/** One message off the decisions queue, to the use case its kind names. */
export async function routeMessage(
  record: SQSRecord,
  invocation: Invocation,
  ports: DecidePorts,
  options: DecideOptions = {},
): Promise<void> {
  const body = parseJsonBody(record);
  const useCase = isReviewRequest(body) ? reviewCase : decideMatch;
  return useCase(record.messageId, body, invocation, ports, options);
}
