import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { TABLES } from '#functions/definitions';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/emulators/local-credentials';
import { createTableInput } from '#local/provision';

/** A gallery table as the stack defines it, created in the DynamoDB Local at `endpoint`; its name. */
export async function createGalleryTable(endpoint: string, prefix: string): Promise<string> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const input = createTableInput(prefix, TABLES.gallery);
    await client.send(new CreateTableCommand(input));
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: input.TableName });
    return input.TableName as string;
  } finally {
    client.destroy();
  }
}
