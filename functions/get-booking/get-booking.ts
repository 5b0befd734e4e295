import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { AuditTrail, RecordStore, SubmissionStore } from '#core/ports';
// The schema's own module: the schemas' index would put every schema in the bundle.
import { SubmissionIdSchema } from '#core/schemas/booking';
import { badRequest, fieldErrors, json } from '#runtime/http';
import { logger, metrics } from '#runtime/powertools';

/** What the booking status read needs. */
export interface GetBookingPorts {
  records: Pick<RecordStore, 'getLatestRecord'>;
  submissions: Pick<SubmissionStore, 'exists'>;
  audit: AuditTrail;
}

/** The IAM principal that signed the request (the API's IAM authorizer); the local API has none. */
function callerOf(event: APIGatewayProxyEventV2): string {
  const authorizer = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer;
  return authorizer?.iam?.userArn ?? 'unauthenticated';
}

/**
 * GET /bookings/{submissionId}: 200 with the record, 202 while pending, 404 when unknown. Every read
 * is entered in the audit trail (who, which record, the answer) before it is answered: a read that
 * cannot be audited is not served (500).
 */
export async function getBooking(
  event: APIGatewayProxyEventV2,
  context: Context,
  { records, submissions, audit }: GetBookingPorts,
): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = SubmissionIdSchema.safeParse(event.pathParameters?.submissionId);
  if (!parsed.success) {
    metrics.addMetric('BookingStatusReadsRejected', MetricUnit.Count, 1);
    return badRequest(
      'The submissionId in the path is invalid',
      fieldErrors(parsed.error).map((e) => ({ ...e, path: 'submissionId' })),
    );
  }
  const submissionId = parsed.data;
  logger.appendKeys({ submissionId });
  // The correlation id of every line of this request: the booking's id, as in the queue consumers' lines.
  logger.setCorrelationId(submissionId);
  metrics.addMetric('BookingStatusReads', MetricUnit.Count, 1);

  const [latest, submitted] = await Promise.all([
    records.getLatestRecord(submissionId),
    submissions.exists(submissionId),
  ]);
  const status = latest ? 200 : submitted ? 202 : 404;
  await audit.append([
    {
      at: new Date().toISOString(),
      action: 'RECORD_READ',
      actor: callerOf(event),
      submissionId,
      ...(latest ? { recordVersion: latest.record.version } : {}),
      outcome: String(status),
      requestId: context.awsRequestId,
    },
  ]);
  if (latest) return json(200, { submissionId, status: 'decided', record: latest.record });
  if (submitted) return json(202, { submissionId, status: 'pending' });
  return json(404, { error: 'not-found', message: 'No booking with this submissionId', submissionId });
}
