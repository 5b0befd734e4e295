import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { LOCAL_REGION } from './emulators/local-credentials';

/** A Lambda context for a local invocation, with a real remaining-time clock. */
export function lambdaContext(functionName: string, timeoutSeconds: number, memoryMb = 1024): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** One invocation of a handler as the local runtime ran it, for measurements (Lambda bills by duration). */
export interface InvocationTiming {
  functionName: string;
  /** Records in the event (SQS batch size), 1 for an API request. */
  records: number;
  /** Wall time of the handler inside its execution environment (a worker thread of its own). */
  durationMs: number;
}

export type InvocationListener = (invocation: InvocationTiming) => void;
