import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoClient } from '#runtime/clients';
import type { EnvironmentPool } from '#local/environments/environment-pool';
import type { EnvironmentChannel } from '#local/environments/protocol';
import { CallCounter, emptyOperationCounts, type CallCounts } from '#bench/pipeline/cost-counter';
import {
  COUNTER_CHANNEL,
  EnvironmentCounters,
  setupEnvironment,
  type CounterMessage,
  type EnvironmentCounts,
} from '#bench/pipeline/cost-counter-in-environment';

const calls = (key: string, n: number, readUnits = 0): CallCounts => ({
  [key]: { ...emptyOperationCounts(), calls: n, attempts: n, billed: n, readUnits },
});

/** A pool as the counters see it: broadcast answered by each of its (fake) environments. */
function fakePool(environments: Array<(message: CounterMessage) => unknown>): EnvironmentPool {
  return {
    broadcast: async (channel: string, data: unknown) => {
      expect(channel).toBe(COUNTER_CHANNEL);
      return environments.map((answer) => answer(data as CounterMessage));
    },
  } as unknown as EnvironmentPool;
}

describe('the call counter inside an environment', () => {
  it('starts as the main thread says, counts the clients built after it, and answers enable and snapshot', async () => {
    let listener: ((data: unknown) => unknown) | undefined;
    const asked: unknown[] = [];
    const channel: EnvironmentChannel = {
      functionName: 'sc-local-match',
      request: async (data) => {
        asked.push(data);
        return true;
      },
      post: () => undefined,
      onMessage: (l) => {
        listener = l;
      },
    };
    await setupEnvironment((name) => {
      expect(name).toBe(COUNTER_CHANNEL);
      return channel;
    });
    expect(asked).toEqual([{ op: 'state' }]);

    // The handler's client, built after the setup, answered before anything is sent.
    const client = dynamoClient();
    (client.middlewareStack as unknown as { add: (m: unknown, o: object) => void }).add(
      () => async () => ({
        output: { $metadata: { attempts: 1 }, Responses: {}, ConsumedCapacity: [{ CapacityUnits: 12.5 }] },
        response: {},
      }),
      { step: 'serialize', priority: 'high', name: 'fakeService' },
    );
    await client.send(new BatchGetItemCommand({ RequestItems: { gallery: { Keys: [{ pk: { S: 'a' } }] } } }));
    const first = (await listener?.({ op: 'snapshot' })) as EnvironmentCounts;
    expect(typeof first.threadId).toBe('number');
    expect(first.counts['dynamodb.BatchGetItem']).toMatchObject({ calls: 1, readUnits: 12.5 });

    expect(await listener?.({ op: 'enable', enabled: false })).toBe(false);
    await client.send(new BatchGetItemCommand({ RequestItems: { gallery: { Keys: [{ pk: { S: 'b' } }] } } }));
    const second = (await listener?.({ op: 'snapshot' })) as EnvironmentCounts;
    expect(second.counts['dynamodb.BatchGetItem']?.calls).toBe(1);
  });
});

describe('EnvironmentCounters', () => {
  it("sums every environment's counts with the main thread's, keeping those of an environment that ended", async () => {
    const main = new CallCounter();
    main.counts = calls('sqs-poller.ReceiveMessage', 4);
    const counters = new EnvironmentCounters(main);
    let matchAlive = true;
    const seen: CounterMessage[] = [];
    const match = fakePool([
      (m) => {
        seen.push(m);
        return m.op === 'snapshot' ? { threadId: 2, counts: calls('dynamodb.BatchGetItem', 10, 380) } : true;
      },
    ]);
    const ended = {
      broadcast: async (_channel: string, data: unknown) =>
        matchAlive && (data as CounterMessage).op === 'snapshot'
          ? [{ threadId: 3, counts: calls('dynamodb.BatchGetItem', 5, 190) }]
          : [],
    } as unknown as EnvironmentPool;
    const ingest = fakePool([
      (m) => (m.op === 'snapshot' ? { threadId: 4, counts: calls('dynamodb.PutItem', 2) } : true),
    ]);
    counters.attach([match, ended, ingest]);

    expect(counters.channel({ op: 'state' }, 'sc-local-match')).toBe(false);
    await counters.setEnabled(true);
    expect(counters.channel({ op: 'state' }, 'sc-local-decide')).toBe(true);
    expect(main.enabled).toBe(true);
    expect(seen).toEqual([{ op: 'enable', enabled: true }]);

    const before = await counters.snapshot();
    expect(before['dynamodb.BatchGetItem']).toMatchObject({ calls: 15, readUnits: 570 });
    expect(before['dynamodb.PutItem']?.calls).toBe(2);
    expect(before['sqs-poller.ReceiveMessage']?.calls).toBe(4);

    // The environment on thread 3 ends: its last counts stand, so totals never go down.
    matchAlive = false;
    const after = await counters.snapshot();
    expect(after['dynamodb.BatchGetItem']).toMatchObject({ calls: 15, readUnits: 570 });
  });
});
