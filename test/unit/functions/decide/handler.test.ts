import type { SQSRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { routeMessage } from '#functions/decide/route-message';
import type { DecidePorts, Invocation } from '#functions/decide/decide-ports';
import { decide } from '#core/policy/decide';
import { getPolicy } from '#core/policy/registry';
import { matchResult, NOW } from '#test/unit/functions/core/policy/fixtures';
import { inMemoryAuditTrail, inMemoryEventPublisher, inMemoryRecordStore } from '#test/support/in-memory-ports';

const sqsRecord = (body: string): SQSRecord =>
  ({
    messageId: 'm-1',
    body,
    attributes: { ApproximateReceiveCount: '2' },
    messageAttributes: {},
  }) as unknown as SQSRecord;
const invocation: Invocation = { functionName: 'decide', awsRequestId: 'r-1' };

function inMemoryPorts() {
  return { records: inMemoryRecordStore(), audit: inMemoryAuditTrail(), events: inMemoryEventPublisher() };
}

/**
 * The decide step's outbox: a redelivered match result whose record was written but whose event may
 * not have been published. A crash between the two cannot be staged against the emulators; here the
 * first attempt's state is put in an in-memory record store.
 */
describe('decide: redelivery after a partial first attempt', () => {
  const match = matchResult({ outcome: 'no-match' });
  const firstRecord = decide(match, getPolicy('sc-2011'), { now: NOW });
  let ports: ReturnType<typeof inMemoryPorts>;

  beforeEach(() => {
    ports = inMemoryPorts();
  });

  it('publishes the stored record (not a new decision) when its event never went out', async () => {
    // Prepare
    ports.records.put({ record: firstRecord, auditLoggedAt: NOW.toISOString() }, match);

    // Act
    await routeMessage(sqsRecord(JSON.stringify(match)), invocation, ports);

    // Assess
    expect(ports.events.published).toEqual([firstRecord]);
    expect(ports.records.marks).toHaveLength(1);
    expect(ports.audit.events).toHaveLength(0);
  });

  it('enters the stored record in the audit trail, and only there, when that step never happened', async () => {
    // Prepare
    ports.records.put({ record: firstRecord, eventPublishedAt: NOW.toISOString() }, match);

    // Act
    await routeMessage(sqsRecord(JSON.stringify(match)), invocation, ports);

    // Assess
    expect(ports.events.published).toHaveLength(0);
    expect(ports.audit.events).toEqual([
      expect.objectContaining({
        action: 'RECORD_WRITTEN',
        actor: 'decide',
        trigger: 'booking',
        submissionId: firstRecord.submissionId,
        recordVersion: 1,
        outcome: firstRecord.type,
        at: firstRecord.decidedAt,
      }),
    ]);
    expect(ports.records.marks.map((mark) => mark.step)).toEqual(['auditLoggedAt']);
  });

  it('publishes nothing when the first attempt finished', async () => {
    // Prepare
    ports.records.put(
      { record: firstRecord, eventPublishedAt: NOW.toISOString(), auditLoggedAt: NOW.toISOString() },
      match,
    );

    // Act
    await routeMessage(sqsRecord(JSON.stringify(match)), invocation, ports);

    // Assess
    expect(ports.events.published).toHaveLength(0);
    expect(ports.records.marks).toHaveLength(0);
  });

  it('names a message that is not a match result as poison, without its content', async () => {
    // Act / Assess
    await expect(
      routeMessage(sqsRecord('{"booking":{"submissionId":"Secret-Name-123"}}'), invocation, ports),
    ).rejects.toMatchObject({
      name: 'PoisonMessageError',
      message: expect.not.stringContaining('Secret-Name'),
    });
  });

  it('fails, to be retried, when a conflicting write left no record to finish', async () => {
    // Prepare: the write finds its version taken, and the read then finds none.
    const records = ports.records;
    const failing: DecidePorts = {
      ...ports,
      records: { ...records, writeDecision: async () => false, getRecord: async () => null },
    };

    // Act / Assess
    await expect(routeMessage(sqsRecord(JSON.stringify(match)), invocation, failing)).rejects.toThrow(
      /vanished after a conflicting write/,
    );
    expect(ports.events.published).toHaveLength(0);
  });
});

describe('decide: a first delivery', () => {
  it('writes the record once, then enters it in the audit trail and publishes it, marking each step', async () => {
    // Prepare
    const ports = inMemoryPorts();
    const match = matchResult({ outcome: 'no-match' });

    // Act
    await routeMessage(sqsRecord(JSON.stringify(match)), invocation, ports);
    await routeMessage(sqsRecord(JSON.stringify(match)), invocation, ports);

    // Assess
    expect(ports.records.records.size).toBe(1);
    expect(ports.records.cases.get(match.booking.submissionId)).toEqual(match);
    expect(ports.audit.events).toHaveLength(1);
    expect(ports.events.published).toHaveLength(1);
    expect(ports.records.marks.map((mark) => mark.step)).toEqual(['auditLoggedAt', 'eventPublishedAt']);
  });

  it('times the policy evaluation through the step timer it is given', async () => {
    // Prepare
    const steps: string[] = [];
    const timeStep = <T>(step: 'decision', run: () => T): T => {
      steps.push(step);
      return run();
    };

    // Act
    await routeMessage(sqsRecord(JSON.stringify(matchResult({ outcome: 'no-match' }))), invocation, inMemoryPorts(), {
      timeStep,
    });

    // Assess
    expect(steps).toEqual(['decision']);
  });
});

describe('decide: review requests', () => {
  const match = matchResult({ outcome: 'no-match' });
  const review = (policyId: string, reviewId = 'run-1') =>
    sqsRecord(JSON.stringify({ kind: 'review', submissionId: match.booking.submissionId, policyId, reviewId }));
  let ports: ReturnType<typeof inMemoryPorts>;

  beforeEach(async () => {
    ports = inMemoryPorts();
    await routeMessage(sqsRecord(JSON.stringify(match)), invocation, ports);
  });

  it('writes a new version under the requested policy, superseding the active one, and publishes it', async () => {
    // Act
    await routeMessage(review('eo-2017'), invocation, ports);

    // Assess
    const latest = await ports.records.getLatestRecord(match.booking.submissionId);
    expect(latest?.record).toMatchObject({ version: 2, policy: { id: 'eo-2017' } });
    expect((await ports.records.getRecord(match.booking.submissionId, 1))?.record.status).toBe('superseded');
    expect(ports.events.published.map((record) => record.version)).toEqual([1, 2]);
    expect(ports.audit.events.at(-1)).toMatchObject({ trigger: 'review:run-1', recordVersion: 2 });
  });

  it('writes nothing when the active record already comes from the same inputs', async () => {
    // Act
    await routeMessage(review('eo-2017'), invocation, ports);
    await routeMessage(review('eo-2017', 'run-2'), invocation, ports);

    // Assess
    expect(ports.records.records.size).toBe(2);
    expect(ports.records.log.count('writeRevision')).toBe(1);
  });

  it('names an unknown policy or a booking never decided as poison', async () => {
    // Act / Assess
    await expect(routeMessage(review('no-such-policy'), invocation, ports)).rejects.toMatchObject({
      name: 'PoisonMessageError',
      fields: ['policyId'],
    });
    await expect(
      routeMessage(
        sqsRecord(
          JSON.stringify({ kind: 'review', submissionId: 'SUB-UNKNOWN-1', policyId: 'eo-2017', reviewId: 'r' }),
        ),
        invocation,
        ports,
      ),
    ).rejects.toMatchObject({ name: 'PoisonMessageError' });
  });

  it('fails, to be retried, when a concurrent review wrote a version from other inputs', async () => {
    // Prepare: another writer's version 2 from another policy lands first.
    const other = decide(match, getPolicy('pep-2014'), { version: 2 });
    const records = ports.records;
    const racing: DecidePorts = {
      ...ports,
      records: {
        ...records,
        writeRevision: async () => {
          records.put({ record: other });
          return false;
        },
      },
    };

    // Act / Assess
    await expect(routeMessage(review('eo-2017'), invocation, racing)).rejects.toThrow(/a concurrent version/);
  });
});
