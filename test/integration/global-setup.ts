import 'vitest';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '#local/emulators/dynamodb-local';
import { startSqsLocal } from '#local/emulators/sqs-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
  }
}

/**
 * One DynamoDB Local (the AWS jar, on Java) and one fauxqs for the whole integration run; each test
 * file creates its own tables and queues under a prefix of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamodb, sqs] = await Promise.all([startDynamoDbLocal(), startSqsLocal()]);
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  return async () => {
    await sqs.stop();
    await dynamodb.stop();
  };
}
