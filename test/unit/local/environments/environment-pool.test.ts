import { afterEach, describe, expect, it } from 'vitest';
import {
  EnvironmentPool,
  FunctionTimeoutError,
  type EnvironmentPoolOptions,
} from '#local/environments/environment-pool';

const HANDLER = new URL('./fixtures/counting-handler.ts', import.meta.url).href;

interface Answer {
  invocations: number;
  functionName: string;
  memory: string;
  own: string | null;
  other: string | null;
}

const pools: EnvironmentPool[] = [];
function pool(options: Partial<EnvironmentPoolOptions> = {}): EnvironmentPool {
  const created = new EnvironmentPool({
    functionName: 'test-fn',
    handlerUrl: HANDLER,
    memoryMb: 256,
    timeoutSeconds: 5,
    maxEnvironments: 2,
    env: { PATH: process.env.PATH ?? '', OWN_VARIABLE: 'mine' },
    setupUrls: [],
    channels: {},
    ...options,
  });
  pools.push(created);
  return created;
}
const answer = async (p: EnvironmentPool, event: object = {}) => (await p.invoke(event)).result as Answer;

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.stop()));
});

/** The local runtime's execution environments: worker threads that behave as Lambda's do. */
describe('EnvironmentPool', () => {
  it('reuses a warm environment, keeping its module state, after one cold start', async () => {
    // Prepare
    const fn = pool();

    // Act
    const first = await answer(fn);
    const second = await answer(fn);

    // Assess
    expect([first.invocations, second.invocations]).toEqual([1, 2]);
    expect(fn.stats.coldStarts).toBe(1);
    expect(fn.stats.initDurationsMs).toHaveLength(1);
    expect(fn.stats.initDurationsMs[0]).toBeGreaterThan(0);
  });

  it('gives the handler its own variables only, its name and its memory size', async () => {
    // Prepare
    process.env.OTHER_VARIABLE = 'the runtime process';
    const fn = pool();

    // Act
    const result = await answer(fn);

    // Assess
    delete process.env.OTHER_VARIABLE;
    expect(result).toMatchObject({ functionName: 'test-fn', memory: '256', own: 'mine', other: null });
  });

  it('runs one environment per concurrent invocation, up to its maximum, and queues the rest', async () => {
    // Prepare
    const fn = pool({ maxEnvironments: 2 });

    // Act
    const answers = await Promise.all([1, 2, 3].map(() => answer(fn, { sleepMs: 300 })));

    // Assess: two environments started; the third invocation waited and ran warm in one of them.
    expect(fn.stats.coldStarts).toBe(2);
    expect(answers.map((a) => a.invocations).sort()).toEqual([1, 1, 2]);
    expect(fn.stats.invocations).toBe(3);
  });

  it('stops an environment that outlives its timeout and starts a new one for the next invocation', async () => {
    // Prepare
    const fn = pool({ timeoutSeconds: 1 });

    // Act
    const timedOut = fn.invoke({ sleepMs: 3_000 });
    await expect(timedOut).rejects.toBeInstanceOf(FunctionTimeoutError);
    const next = await answer(fn);

    // Assess: a fresh environment, its module state new.
    expect(next.invocations).toBe(1);
    expect(fn.stats.coldStarts).toBe(2);
    expect(fn.stats.ended).toBe(1);
  });

  it("carries a handler's error across the thread with its name and keeps the environment", async () => {
    // Prepare
    const fn = pool();

    // Act
    const failed = fn.invoke({ fail: 'not a booking' });

    // Assess
    await expect(failed).rejects.toMatchObject({ name: 'PoisonMessageError', message: 'not a booking' });
    expect((await answer(fn)).invocations).toBe(2);
    expect(fn.stats.coldStarts).toBe(1);
  });

  it('answers an import failure as Lambda does, naming the module error', async () => {
    // Prepare
    const fn = pool({ handlerUrl: new URL('./fixtures/missing-handler.ts', import.meta.url).href });

    // Act + Assess
    await expect(fn.invoke({})).rejects.toMatchObject({ name: 'Runtime.ImportModuleError' });
  });
});
