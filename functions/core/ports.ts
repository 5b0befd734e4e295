/**
 * What the use cases need from the outside world, as interfaces the adapters (functions/adapters/)
 * implement against AWS and tests implement in memory. Pure: no AWS types.
 */
import type { Posting } from './biometrics/index-postings';
import type { AuditEvent, EnrolledFinger, IdentityRecord, MatchResult, OutcomeRecord } from './schemas';

/** The gallery as the search sees it (the DynamoDB adapter and an in-memory one implement it). */
export interface GalleryReader {
  /** Index buckets: key -> postings enrolled under it (missing keys simply absent). */
  readIndex(keys: string[]): Promise<Map<string, Posting[]>>;
  /** Enrolled fingers of the given subjects (subjects not found simply absent). */
  readCandidates(subjectIds: string[]): Promise<Array<{ subjectId: string; fingers: EnrolledFinger[] }>>;
  /** The identity record of one subject (the match), or null if there is none. */
  readIdentity(subjectId: string): Promise<IdentityRecord | null>;
}

/**
 * What a gallery read brought back: items and their stored size. Reads with a projection are billed
 * a little above this: the store bills the whole item.
 */
export interface GalleryReadStats {
  kind: 'index' | 'candidates' | 'identity';
  items: number;
  bytes: number;
}

/** A record version as stored, with the marks of the steps that follow its write. */
export interface StoredRecord {
  record: OutcomeRecord;
  /** When the record's event reached the bus; absent until then (an outbox flag). */
  eventPublishedAt?: string;
  /** When the record's write reached the audit trail; absent until then (an outbox flag). */
  auditLoggedAt?: string;
}

/** The steps after a record's write that a redelivery finishes if the first attempt did not. */
export type OutboxStep = 'eventPublishedAt' | 'auditLoggedAt';

/** The records of decided bookings: versions written once, never changed but for their status and outbox marks. */
export interface RecordStore {
  /**
   * Writes a first decision with the match result it came from, once: false when that version
   * already exists (a redelivery).
   */
  writeDecision(record: OutcomeRecord, match: MatchResult): Promise<boolean>;
  /**
   * Writes a re-decision as a new version superseding `previousVersion`, once: false when another
   * writer got there first (a duplicate or concurrent review).
   */
  writeRevision(record: OutcomeRecord, previousVersion: number, actor: string): Promise<boolean>;
  getRecord(submissionId: string, version: number): Promise<StoredRecord | null>;
  /** The newest version of a booking's record, or null when none has been written yet. */
  getLatestRecord(submissionId: string): Promise<StoredRecord | null>;
  /** The match result the first decision stored for re-review, or null. */
  getStoredCase(submissionId: string): Promise<MatchResult | null>;
  markOutboxDone(submissionId: string, version: number, step: OutboxStep, at: string): Promise<void>;
}

export type Registration =
  /** First time this submissionId is seen. */
  | { kind: 'new' }
  /** Seen before with the same booking; `enqueued` says whether it reached the queue. */
  | { kind: 'duplicate'; enqueued: boolean }
  /** Seen before with a different booking: the client reused an id. */
  | { kind: 'conflict' };

export interface Submission {
  submissionId: string;
  /** A hash of the booking, never the booking itself. */
  bookingHash: string;
  ori: string;
  receivedAt: string;
}

/** The ingest side of idempotency: one entry per submissionId. */
export interface SubmissionStore {
  register(submission: Submission): Promise<Registration>;
  markEnqueued(submissionId: string, at: string): Promise<void>;
  exists(submissionId: string): Promise<boolean>;
}

/** An append-only trail; `append` throws when the entries were not stored. */
export interface AuditTrail {
  append(events: readonly AuditEvent[]): Promise<void>;
}

/** Where downstream systems learn of a record written. */
export interface EventPublisher {
  publishRecordEvent(record: OutcomeRecord): Promise<void>;
}

/** One queue a step sends JSON messages to, each tagged with its booking's submissionId. */
export interface MessageQueue {
  send(body: unknown, submissionId: string): Promise<void>;
}

/**
 * Runs a named step of a use case and returns its result, so that a caller can time it (the use
 * cases know no timer). The default runs the step.
 */
export type TimeStep<Step extends string> = <T>(step: Step, run: () => T) => T;

export const untimed = <T>(_step: string, run: () => T): T => run();
