import { randomBytes } from 'node:crypto';
import { cliArgs, intArg } from '#cli/args';

const USAGE = `sc-pipeline review --policy ID [--since DATE] [--until DATE] (--local | --table NAME --queue NAME)

Decides stored cases again under another policy, without searching again: for every booking whose
active record was booked in the range, sends a review request to the decisions queue; the decide
function (in Lambda, or in the local runtime) reads the stored case, writes a new record version
that supersedes the active one, and publishes it. Waits for every case and prints the transitions.
Running it twice makes no further versions.

  --policy ID        the policy to decide under (sc-2011, detainer-2012, pep-2014, eo-2017)
  --since, --until   booking dates, inclusive (YYYY-MM-DD); default all
  --local            the local runtime of npm run local (DynamoDB Local :8000, fauxqs :9324, prefix sc-local)
  --prefix P         with --local: another resource prefix
  --endpoint URL, --sqs-endpoint URL   with --local: other endpoints
  --table NAME       the records table (the stack's RecordsTableName output)
  --queue NAME       the decisions queue's name (the stack's DecisionsQueueName output)
  --timeout S        seconds to wait for the records (default 300)

Without --local, the AWS SDK's usual credentials and region are used.`;

const args = cliArgs(USAGE, {
  policy: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  local: { type: 'boolean' },
  prefix: { type: 'string' },
  endpoint: { type: 'string' },
  'sqs-endpoint': { type: 'string' },
  table: { type: 'string' },
  queue: { type: 'string' },
  timeout: { type: 'string' },
});
const date = /^\d{4}-\d{2}-\d{2}$/;
for (const name of ['since', 'until'] as const) {
  if (args[name] !== undefined && !date.test(String(args[name]))) {
    console.error(`--${name} must be a date, YYYY-MM-DD`);
    process.exit(2);
  }
}
if (
  typeof args.policy !== 'string' ||
  (!args.local && (typeof args.table !== 'string' || typeof args.queue !== 'string'))
) {
  console.error(`--policy and either --local or --table and --queue are required\n\n${USAGE}`);
  process.exit(2);
}

const { ENV } = await import('#runtime/environment-variables');
const prefix = typeof args.prefix === 'string' ? args.prefix : 'sc-local';
if (args.local) {
  const { useLocalCredentials } = await import('#local/emulators/local-credentials');
  useLocalCredentials();
  process.env[ENV.dynamodbEndpoint] = typeof args.endpoint === 'string' ? args.endpoint : 'http://127.0.0.1:8000';
  process.env[ENV.sqsEndpoint] =
    typeof args['sqs-endpoint'] === 'string' ? args['sqs-endpoint'] : 'http://127.0.0.1:9324';
}
const { getPolicy } = await import('#core/policy/registry');
const { physicalName, QUEUES, TABLES } = await import('#functions/definitions');
const { activeCases, awaitTransitions, queueUrlOf, requestReviews } = await import('./review-runner');

try {
  getPolicy(args.policy);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const policyId = args.policy;
const tableName = args.local ? physicalName(prefix, TABLES.records.name) : String(args.table);
const queueName = args.local ? physicalName(prefix, QUEUES.decisions.name) : String(args.queue);
const range = {
  ...(typeof args.since === 'string' ? { since: args.since } : {}),
  ...(typeof args.until === 'string' ? { until: args.until } : {}),
};
const reviewId = `review-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;

const cases = await activeCases(tableName, range);
console.log(
  `Review ${reviewId} under ${policyId}: ${cases.length} active records booked ${range.since ?? 'any time'} to ${range.until ?? 'now'}`,
);
await requestReviews(await queueUrlOf(queueName), cases, policyId, reviewId);
const { transitions, pending } = await awaitTransitions(
  tableName,
  cases,
  policyId,
  intArg(args.timeout, 'timeout', 300) * 1000,
);

console.log('');
console.log(`${'from'.padEnd(24)} ${'to'.padEnd(24)} count`);
for (const t of transitions) console.log(`${t.from.padEnd(24)} ${t.to.padEnd(24)} ${String(t.count).padStart(5)}`);
if (pending.length > 0) {
  console.error(`${pending.length} cases not decided in time, e.g. ${pending.slice(0, 3).join(', ')}`);
  process.exit(1);
}
