import { cliArgs, intArg } from '#cli/args';

const USAGE = `npm run local -- [options]

Runs the pipeline on this machine until Ctrl-C: DynamoDB Local, fauxqs, each function in execution
environments of its own (worker threads), the consumers behind SQS event sources and the API on
localhost.

  --port N           API port                        (default 3000)
  --dynamodb-port N  DynamoDB Local port             (default 8000)
  --sqs-port N       fauxqs port                     (default 9324)
  --seed-count N     identities to seed at start     (default 2000; 0 for an empty gallery)
  --seed N           seed of the gallery             (default 1)
  --policy ID        pin a decision policy
  --log-level L      DEBUG | INFO | WARN | ERROR     (default INFO)
  --bundles          run the bundles cdk synth builds (cdk.out; built if missing) instead of the sources
  --rebuild          with --bundles: run cdk synth first even if cdk.out has the bundles`;

const args = cliArgs(USAGE, {
  port: { type: 'string' },
  'dynamodb-port': { type: 'string' },
  'sqs-port': { type: 'string' },
  'seed-count': { type: 'string' },
  seed: { type: 'string' },
  policy: { type: 'string' },
  'log-level': { type: 'string' },
  bundles: { type: 'boolean' },
  rebuild: { type: 'boolean' },
});

// Set before the handlers' Logger is built.
process.env.POWERTOOLS_LOG_LEVEL ??= typeof args['log-level'] === 'string' ? args['log-level'] : 'INFO';
await import('./powertools-env');
const { seedGallery } = await import('#simulation/gallery-seeder');
const { startLocalPipeline } = await import('./local-pipeline');
const { startDynamoDbLocal } = await import('./emulators/dynamodb-local');
const { startSqsLocal } = await import('./emulators/sqs-local');
const dynamodb = await startDynamoDbLocal({ port: intArg(args['dynamodb-port'], 'dynamodb-port', 8000) });
const sqs = await startSqsLocal({ port: intArg(args['sqs-port'], 'sqs-port', 9324) });
const pipeline = await startLocalPipeline({
  dynamodbEndpoint: dynamodb.endpoint,
  sqsEndpoint: sqs.endpoint,
  apiPort: intArg(args.port, 'port', 3000),
  ...(args.policy ? { policyId: String(args.policy) } : {}),
  handlers: args.bundles ? { cdkOut: 'cdk.out', rebuild: args.rebuild === true } : 'sources',
});

const seedCount = intArg(args['seed-count'], 'seed-count', 2000);
if (seedCount > 0) {
  const seeded = await seedGallery({
    tableName: pipeline.resources.tables.gallery,
    count: seedCount,
    seed: intArg(args.seed, 'seed', 1),
  });
  console.log(`Seeded ${seeded.identities} identities in ${seeded.seconds.toFixed(1)} s`);
}

console.log(`
sc-pipeline is running locally.
  Handlers:        ${args.bundles ? 'the bundles in cdk.out (as deployed)' : 'the TypeScript sources'}, in worker threads
  API:             ${pipeline.apiUrl}   (POST /bookings, GET /bookings/{submissionId})
  Status page:     ${pipeline.apiUrl}/status   (records by type, queues and DLQs, search latency; live)
  DynamoDB Local:  ${pipeline.endpoints.dynamodb}   tables ${pipeline.resources.tables.gallery}, ${pipeline.resources.tables.records}
  SQS (fauxqs):    ${pipeline.endpoints.sqs}   queues ${pipeline.resources.queues.bookings.url}, ${pipeline.resources.queues.decisions.url}
  Record events:   ${pipeline.resources.eventsQueueUrl}
Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  await pipeline.stop();
  await sqs.stop();
  await dynamodb.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
