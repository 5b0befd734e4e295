import { parseArgs } from 'node:util';
import type { DeadLetterSummary } from './dead-letters/read';
import { intArg } from '#cli/args';

const USAGE = `sc-pipeline dlq list    [--queue bookings|decisions] [--max N] [--json] TARGET
sc-pipeline dlq inspect MESSAGE_ID [--queue bookings|decisions] [--json] TARGET
sc-pipeline dlq redrive [--queue bookings|decisions] [--max N] TARGET

Shows and redrives the dead letters of the bookings and decisions queues. Shows ids, the reason
(the deadLetter attribute the handlers write; "unknown" for a message SQS moved by its redrive
policy), error class, wrong field paths and receive counts; never a message body, which holds
fingerprints and names. Listing and inspecting do not consume messages.

  list               the dead letters of each DLQ (default both queues, at most --max each, default 100)
  inspect ID         one dead letter by SQS message id: as list, plus the body's size and field names
  redrive            sends dead letters back to their source queue; safe to run twice. On AWS without
                     --max: SQS's message-move task (an already running task is reported, not doubled);
                     locally or with --max: receive, send to the source queue, then delete
  --queue NAME       bookings or decisions (default both)
  --max N            list: at most N per queue; redrive: move at most N per queue
  --json             list, inspect: print JSON instead of a table

TARGET, one of:
  --local            the local runtime of npm run local (fauxqs :9324, prefix sc-local)
    --prefix P         another resource prefix
    --sqs-endpoint URL another SQS endpoint
  --stack NAME       a deployed stateful stack (e.g. ScPipelineStateful): reads its BookingsQueueUrl,
                     BookingsDlqUrl, DecisionsQueueUrl and DecisionsDlqUrl outputs
  --dlq-url URL      one DLQ by URL (with --source-url URL, its source queue, for redrive)

Against AWS the SDK's usual credentials and region are used (AWS_PROFILE, AWS_REGION, ...).
Exit codes: 0 done, 1 the operation failed, 2 wrong usage. See docs/operations/dead-letters.md.`;

type Action = 'list' | 'inspect' | 'redrive';
const QUEUE_NAMES = ['bookings', 'decisions'] as const;
type QueueName = (typeof QUEUE_NAMES)[number];

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    strict: true,
    options: {
      queue: { type: 'string' },
      max: { type: 'string' },
      json: { type: 'boolean' },
      local: { type: 'boolean' },
      prefix: { type: 'string' },
      'sqs-endpoint': { type: 'string' },
      stack: { type: 'string' },
      'dlq-url': { type: 'string' },
      'source-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  usageError((error as Error).message);
}
const { values: args, positionals } = parsed;
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const [actionArg, ...operands] = positionals;
if (actionArg !== 'list' && actionArg !== 'inspect' && actionArg !== 'redrive') {
  usageError(actionArg === undefined ? 'A subcommand is required' : `Unknown subcommand "${actionArg}"`);
}
const action: Action = actionArg;
if (action === 'inspect' && operands.length !== 1) usageError('inspect takes one MESSAGE_ID');
if (action !== 'inspect' && operands.length > 0) usageError(`Unexpected argument "${operands[0]}"`);
if (args.queue !== undefined && !(QUEUE_NAMES as readonly string[]).includes(args.queue)) {
  usageError(`--queue must be bookings or decisions (got ${args.queue})`);
}
const targets = [args.local, args.stack, args['dlq-url']].filter((value) => value !== undefined);
if (targets.length !== 1) usageError('Give one target: --local, --stack NAME or --dlq-url URL');
if (!args.local && (args.prefix !== undefined || args['sqs-endpoint'] !== undefined)) {
  usageError('--prefix and --sqs-endpoint go with --local');
}
if (args['source-url'] !== undefined && args['dlq-url'] === undefined) usageError('--source-url goes with --dlq-url');
if (action === 'redrive' && args['dlq-url'] !== undefined && args['source-url'] === undefined) {
  usageError('redrive with --dlq-url needs --source-url');
}
if (action === 'redrive' && args.json) usageError('--json goes with list and inspect');
if (action === 'inspect' && args.max !== undefined) usageError('--max goes with list and redrive');
const max = args.max === undefined ? undefined : intArg(args.max, 'max', 0);
if (max === 0) usageError('--max must be at least 1');

const { SQSClient } = await import('@aws-sdk/client-sqs');
const { LOCAL_CREDENTIALS, LOCAL_REGION } = await import('#local/emulators/local-credentials');

const sqs = args.local
  ? new SQSClient({
      endpoint: args['sqs-endpoint'] ?? 'http://127.0.0.1:9324',
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      // fauxqs names queue hosts that do not resolve: send every call to the endpoint.
      useQueueUrlAsEndpoint: false,
    })
  : new SQSClient({});
const selected: readonly QueueName[] = args.queue === undefined ? QUEUE_NAMES : [args.queue as QueueName];

/** A DLQ and the queue it serves, named for the output. */
interface QueuePair {
  queue: string;
  dlqUrl: string;
  sourceUrl: string | undefined;
}

try {
  const pairs = await queuePairs();
  if (action === 'list') await list(pairs);
  else if (action === 'inspect') await inspect(pairs, operands[0] as string);
  else await redrive(pairs);
} catch (error) {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  console.error(`dlq ${action} failed: ${name}: ${message}`);
  process.exitCode = 1;
} finally {
  sqs.destroy();
}

async function queuePairs(): Promise<QueuePair[]> {
  if (args['dlq-url'] !== undefined) {
    const dlqUrl = args['dlq-url'];
    return [{ queue: args.queue ?? lastSegment(dlqUrl), dlqUrl, sourceUrl: args['source-url'] }];
  }
  if (args.stack !== undefined) {
    const outputs = await stackOutputs(args.stack);
    return selected.map((queue) => {
      const capitalised = `${queue[0]?.toUpperCase()}${queue.slice(1)}`;
      const output = (key: string) => {
        const value = outputs.get(key);
        if (!value) throw new Error(`Stack ${String(args.stack)} has no output ${key}`);
        return value;
      };
      return { queue, dlqUrl: output(`${capitalised}DlqUrl`), sourceUrl: output(`${capitalised}QueueUrl`) };
    });
  }
  const { GetQueueUrlCommand } = await import('@aws-sdk/client-sqs');
  const { QUEUES, dlqName, physicalName } = await import('#functions/definitions');
  const prefix = args.prefix ?? 'sc-local';
  const urlOf = async (name: string) => {
    const result = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!result.QueueUrl) throw new Error(`No queue named ${name}`);
    return result.QueueUrl;
  };
  return Promise.all(
    selected.map(async (queue) => ({
      queue,
      dlqUrl: await urlOf(physicalName(prefix, dlqName(QUEUES[queue]))),
      sourceUrl: await urlOf(physicalName(prefix, QUEUES[queue].name)),
    })),
  );
}

async function stackOutputs(stackName: string): Promise<Map<string, string>> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const cloudFormation = new CloudFormationClient({});
  try {
    const result = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = result.Stacks?.[0]?.Outputs ?? [];
    return new Map(outputs.flatMap((o) => (o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [])));
  } finally {
    cloudFormation.destroy();
  }
}

async function list(pairs: QueuePair[]): Promise<void> {
  const [{ listDeadLetters }, { approximateDepth }] = await Promise.all([
    import('./dead-letters/read'),
    import('./dead-letters/queue'),
  ]);
  const limit = max ?? 100;
  const rows: Array<{ queue: string } & DeadLetterSummary> = [];
  for (const pair of pairs) {
    const waiting = await approximateDepth(sqs, pair.dlqUrl);
    const letters = await listDeadLetters(sqs, pair.dlqUrl, { max: limit });
    rows.push(...letters.map((letter) => ({ queue: pair.queue, ...letter })));
    if (!args.json) {
      const more = letters.length >= limit ? ` (the first ${limit}; --max N for more)` : '';
      const noun = letters.length === 1 ? 'dead letter' : 'dead letters';
      console.log(
        `${pair.queue}: ${letters.length} ${noun}${more}, ~${waiting} waiting in ${lastSegment(pair.dlqUrl)}`,
      );
    }
  }
  if (args.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) return;
  console.log('');
  printTable(
    ['queue', 'message id', 'submission id', 'reason', 'error', 'fields', 'receives', 'dead-lettered at'],
    rows.map((row) => [
      row.queue,
      row.messageId,
      row.submissionId ?? '-',
      row.reason,
      row.errorName ?? '-',
      truncate(row.fields.join(',') || '-', 40),
      row.receiveCount === undefined ? '-' : String(row.receiveCount),
      row.deadLetteredAt ?? '-',
    ]),
  );
}

async function inspect(pairs: QueuePair[], messageId: string): Promise<void> {
  const { inspectDeadLetter } = await import('./dead-letters/read');
  for (const pair of pairs) {
    const detail = await inspectDeadLetter(sqs, pair.dlqUrl, messageId);
    if (!detail) continue;
    if (args.json) {
      console.log(JSON.stringify({ queue: pair.queue, ...detail }, null, 2));
      return;
    }
    const lines: Array<[string, string | number | undefined]> = [
      ['queue', `${pair.queue} (${lastSegment(pair.dlqUrl)})`],
      ['message id', detail.messageId],
      ['submission id', detail.submissionId],
      ['reason', detail.reason],
      ['error', detail.errorName],
      ['error message', detail.errorMessage],
      ['fields', detail.fields.join(', ') || undefined],
      ['receives', detail.receiveCount],
      ['function', detail.functionName],
      ['source queue', detail.sourceQueueArn],
      ['sent at', detail.sentAt],
      ['dead-lettered at', detail.deadLetteredAt],
      ['body', `${detail.bodyBytes} bytes, ${detail.bodyFormat}`],
      [
        'body fields',
        (detail.bodyFields.join(', ') || '-') +
          (detail.otherBodyKeys > 0 ? ` (+${detail.otherBodyKeys} other keys)` : ''),
      ],
    ];
    for (const [label, value] of lines) console.log(`${`${label}:`.padEnd(18)}${value ?? '-'}`);
    return;
  }
  console.error(`No dead letter ${messageId} in ${pairs.map((pair) => lastSegment(pair.dlqUrl)).join(' or ')}`);
  process.exitCode = 1;
}

async function redrive(pairs: QueuePair[]): Promise<void> {
  const [{ redriveDeadLetters }, { queueArnOf }] = await Promise.all([
    import('./dead-letters/redrive'),
    import('./dead-letters/queue'),
  ]);
  const useMoveTask = !args.local;
  for (const pair of pairs) {
    const sourceUrl = pair.sourceUrl as string;
    const [dlqArn, sourceArn] = await Promise.all([queueArnOf(sqs, pair.dlqUrl), queueArnOf(sqs, sourceUrl)]);
    const from = lastSegment(pair.dlqUrl);
    const to = lastSegment(sourceUrl);
    const result = await redriveDeadLetters(sqs, {
      dlqUrl: pair.dlqUrl,
      dlqArn,
      sourceUrl,
      sourceArn,
      ...(max !== undefined ? { max } : {}),
      useMoveTask,
    });
    if (result.kind === 'move-task-started') {
      console.log(
        `${pair.queue}: started a message-move task ${from} -> ${to} (handle ${result.taskHandle ?? '-'}); ` +
          `follow it with: aws sqs list-message-move-tasks --source-arn ${dlqArn}`,
      );
    } else if (result.kind === 'move-task-running') {
      const { task } = result;
      console.log(
        `${pair.queue}: a message-move task from ${from} is already ${task.status} ` +
          `(${task.moved ?? '?'} of ${task.toMove ?? '?'} moved, since ${task.startedAt ?? '?'}); nothing new started`,
      );
    } else {
      const skipped = result.skipped > 0 ? `, ${result.skipped} left (they came from another queue)` : '';
      console.log(`${pair.queue}: moved ${result.moved} from ${from} to ${to}${skipped}`);
      if (result.failed > 0) {
        console.error(`${pair.queue}: ${result.failed} not moved: ${result.errors.join('; ')}`);
        process.exitCode = 1;
      }
    }
  }
}

function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** The queue's name, the last segment of its URL. */
function lastSegment(url: string): string {
  return url.split('/').filter(Boolean).pop() ?? url;
}
