import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishRecordEvent } from '#adapters/event-publisher';
import { ENV } from '#runtime/environment-variables';
import type { OutcomeRecord } from '#core/schemas';

const record = {
  type: 'no-action',
  reason: 'no-match',
  submissionId: 'a1b2c3d4-0000-4000-a000-000000000001',
} as unknown as OutcomeRecord;

/** EventBridge can accept a PutEvents call and still fail its entry; no emulator does that. */
describe('record event publisher on EventBridge', () => {
  const eventBridge = mockClient(EventBridgeClient);

  beforeEach(() => {
    eventBridge.reset();
    process.env[ENV.eventBusName] = 'records-bus';
  });
  afterEach(() => {
    delete process.env[ENV.eventBusName];
  });

  it('puts the record on the bus with its source and detail type', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act
    await publishRecordEvent(record);

    // Assess
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      EventBusName: 'records-bus',
      Source: 'sc-pipeline.decide',
      DetailType: 'OutcomeRecordWritten',
    });
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual(record);
  });

  it('throws when the bus fails the entry, so the message is retried', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] });

    // Act / Assess
    await expect(publishRecordEvent(record)).rejects.toThrow('ThrottlingException');
  });
});
