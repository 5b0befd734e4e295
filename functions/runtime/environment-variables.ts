/**
 * Names of the environment variables the functions read. The stack sets them and the local runtime
 * sets them, from this one list, so the two cannot drift.
 */
export const ENV = {
  galleryTableName: 'GALLERY_TABLE_NAME',
  recordsTableName: 'RECORDS_TABLE_NAME',
  bookingsQueueUrl: 'BOOKINGS_QUEUE_URL',
  decisionsQueueUrl: 'DECISIONS_QUEUE_URL',
  eventBusName: 'EVENT_BUS_NAME',
  /** The append-only audit trail: a CloudWatch Logs log group the functions may only append to. */
  auditLogGroupName: 'AUDIT_LOG_GROUP_NAME',
  /** The match step's idempotency table (Powertools idempotency). */
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  /**
   * The dead-letter queue of the queue a function consumes, and the receives that queue allows
   * (its maxReceiveCount): the function dead-letters a message itself, with the reason, on the last.
   */
  bookingsDlqUrl: 'BOOKINGS_DLQ_URL',
  bookingsMaxReceiveCount: 'BOOKINGS_MAX_RECEIVE_COUNT',
  decisionsDlqUrl: 'DECISIONS_DLQ_URL',
  decisionsMaxReceiveCount: 'DECISIONS_MAX_RECEIVE_COUNT',
  /** Optional: pins one decision policy instead of the one in force on the booking date. */
  policyId: 'POLICY_ID',
  /** Local runtime only: where the AWS SDK clients point (DynamoDB Local, fauxqs). */
  dynamodbEndpoint: 'SC_DYNAMODB_ENDPOINT',
  sqsEndpoint: 'SC_SQS_ENDPOINT',
  /** Local runtime only: the queue that stands in for the EventBridge bus. */
  localEventsQueueUrl: 'SC_LOCAL_EVENTS_QUEUE_URL',
  /** Local runtime only: the queue that stands in for the audit log group. */
  localAuditQueueUrl: 'SC_LOCAL_AUDIT_QUEUE_URL',
} as const;
