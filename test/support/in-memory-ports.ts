/**
 * The ports of functions/core/ports.ts held in memory, for the use cases' unit tests: each keeps what
 * it was asked, and a test can make any call fail (`failWith`) to stage a crash between two steps.
 */
import type {
  AuditTrail,
  EventPublisher,
  MessageQueue,
  OutboxStep,
  RecordStore,
  Registration,
  StoredRecord,
  Submission,
  SubmissionStore,
} from '#core/ports';
import type { AuditEvent, MatchResult, OutcomeRecord } from '#core/schemas';

/** Calls by method name; a method listed in `failures` rejects with that error instead. */
class CallLog<Method extends string> {
  readonly calls: Method[] = [];
  readonly failures = new Map<Method, Error>();

  enter(method: Method): void {
    this.calls.push(method);
    const failure = this.failures.get(method);
    if (failure) throw failure;
  }

  count(method?: Method): number {
    return method === undefined ? this.calls.length : this.calls.filter((call) => call === method).length;
  }

  failWith(method: Method, error: Error): void {
    this.failures.set(method, error);
  }
}

const clone = <T>(value: T): T => structuredClone(value);

export interface OutboxMark {
  submissionId: string;
  version: number;
  step: OutboxStep;
  at: string;
}

export function inMemoryRecordStore() {
  const log = new CallLog<keyof RecordStore>();
  const records = new Map<string, StoredRecord>();
  const cases = new Map<string, MatchResult>();
  const marks: OutboxMark[] = [];
  const keyOf = (submissionId: string, version: number) => `${submissionId}#${version}`;
  const latest = (submissionId: string) =>
    [...records.values()]
      .filter((stored) => stored.record.submissionId === submissionId)
      .sort((a, b) => b.record.version - a.record.version)[0] ?? null;

  const store: RecordStore = {
    async writeDecision(record, match) {
      log.enter('writeDecision');
      const key = keyOf(record.submissionId, record.version);
      if (records.has(key)) return false;
      records.set(key, { record: clone(record) });
      cases.set(record.submissionId, clone(match));
      return true;
    },
    async writeRevision(record, previousVersion) {
      log.enter('writeRevision');
      const previous = records.get(keyOf(record.submissionId, previousVersion));
      const key = keyOf(record.submissionId, record.version);
      if (records.has(key) || previous?.record.status !== 'active') return false;
      previous.record = { ...previous.record, status: 'superseded' };
      records.set(key, { record: clone(record) });
      return true;
    },
    async getRecord(submissionId, version) {
      log.enter('getRecord');
      const stored = records.get(keyOf(submissionId, version));
      return stored ? clone(stored) : null;
    },
    async getLatestRecord(submissionId) {
      log.enter('getLatestRecord');
      const stored = latest(submissionId);
      return stored ? clone(stored) : null;
    },
    async getStoredCase(submissionId) {
      log.enter('getStoredCase');
      const match = cases.get(submissionId);
      return match ? clone(match) : null;
    },
    async markOutboxDone(submissionId, version, step, at) {
      log.enter('markOutboxDone');
      marks.push({ submissionId, version, step, at });
      const stored = records.get(keyOf(submissionId, version));
      if (stored) stored[step] = at;
    },
  };
  return Object.assign(store, {
    log,
    records,
    cases,
    marks,
    /** Puts a record version as a first attempt left it. */
    put(stored: StoredRecord, match?: MatchResult) {
      records.set(keyOf(stored.record.submissionId, stored.record.version), clone(stored));
      if (match) cases.set(stored.record.submissionId, clone(match));
    },
  });
}

export function inMemorySubmissionStore() {
  const log = new CallLog<keyof SubmissionStore>();
  const submissions = new Map<string, Submission & { enqueued: boolean; enqueuedAt?: string }>();
  const store: SubmissionStore = {
    async register(submission): Promise<Registration> {
      log.enter('register');
      const existing = submissions.get(submission.submissionId);
      if (!existing) {
        submissions.set(submission.submissionId, { ...submission, enqueued: false });
        return { kind: 'new' };
      }
      if (existing.bookingHash !== submission.bookingHash) return { kind: 'conflict' };
      return { kind: 'duplicate', enqueued: existing.enqueued };
    },
    async markEnqueued(submissionId, at) {
      log.enter('markEnqueued');
      const existing = submissions.get(submissionId);
      if (existing) Object.assign(existing, { enqueued: true, enqueuedAt: at });
    },
    async exists(submissionId) {
      log.enter('exists');
      return submissions.has(submissionId);
    },
  };
  return Object.assign(store, { log, submissions });
}

export function inMemoryAuditTrail() {
  const log = new CallLog<keyof AuditTrail>();
  const events: AuditEvent[] = [];
  const trail: AuditTrail = {
    async append(entries) {
      log.enter('append');
      events.push(...clone(entries));
    },
  };
  return Object.assign(trail, { log, events });
}

export function inMemoryEventPublisher() {
  const log = new CallLog<keyof EventPublisher>();
  const published: OutcomeRecord[] = [];
  const publisher: EventPublisher = {
    async publishRecordEvent(record) {
      log.enter('publishRecordEvent');
      published.push(clone(record));
    },
  };
  return Object.assign(publisher, { log, published });
}

/**
 * A queue: each message as the JSON text a real queue would carry. `accept` sees the text first and
 * may throw, as the service's own checks on a message would.
 */
export function inMemoryQueue(accept: (text: string) => void = () => undefined) {
  const log = new CallLog<keyof MessageQueue>();
  const sent: Array<{ text: string; submissionId: string }> = [];
  const queue: MessageQueue = {
    async send(body, submissionId) {
      log.enter('send');
      const text = JSON.stringify(body);
      accept(text);
      sent.push({ text, submissionId });
    },
  };
  return Object.assign(queue, { log, sent });
}
