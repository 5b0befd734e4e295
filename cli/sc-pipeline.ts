import '#local/powertools-env';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';

const USAGE = `sc-pipeline <command> [options]

Commands:
  score --pairs PAIRS.jsonl    one 1:1 score per line; each line {"a": template, "b": template}
                               (JSON templates or base64 ISO/IEC 19794-2 records)
  seed  --table NAME ...       write synthetic identities to a gallery table
  search --probe BOOKING.json --table NAME
                               one 1:N search of a booking against a gallery table, and its decision
  decide [--policy ID] [--explain] CASE.json
                               decide one case offline and print the record as JSON
  review --policy ID [--since DATE] [--until DATE] (--local | --table NAME --queue NAME)
                               decide stored cases again under another policy; print the transitions
  dlq list | inspect ID | redrive [--queue NAME] [--max N] (--local | --stack NAME | --dlq-url URL)
                               show dead letters (ids, reasons, receive counts; never a body), or
                               send them back to their source queue (safe to run twice)

Run a command with --help for its options.`;

const [command, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0] ?? 'node', process.argv[1] ?? 'sc-pipeline', ...rest];

switch (command) {
  case 'score':
    await score();
    break;
  case 'seed':
    await import('./ops/seed');
    break;
  case 'search':
    await import('./search');
    break;
  case 'decide':
    await import('./decide');
    break;
  case 'review':
    await import('./ops/review');
    break;
  case 'dlq':
    await import('./ops/dlq');
    break;
  case undefined:
  case '--help':
  case '-h':
    console.log(USAGE);
    break;
  default:
    console.error(`Unknown command "${command}"\n\n${USAGE}`);
    process.exit(2);
}

/** Scores template pairs with the pipeline's matcher, one line in, one score out. */
async function score(): Promise<void> {
  const { cliArgs } = await import('./args');
  const args = cliArgs(
    `sc-pipeline score --pairs PAIRS.jsonl

Reads one JSON object per line, {"a": template, "b": template}, and prints the matcher's similarity
score for each pair on its own line (0 = no evidence of the same finger). A line that is not a valid
pair prints "error: <reason>" on stderr with its line number and exits 1 at the end.
A template is the public JSON shape, {"width","height","resolutionPpi","minutiae":[{"x","y","angle","type","quality"}]},
or an ISO/IEC 19794-2:2005 record in base64: {"format":"iso-19794-2","data":"..."}.`,
    { pairs: { type: 'string' } },
  );
  if (typeof args.pairs !== 'string') {
    console.error('--pairs is required (a file, or - for standard input)');
    process.exit(2);
  }
  const { z } = await import('zod');
  const { TemplateInputSchema } = await import('#core/biometrics/template-input');
  const { baselineMatcher } = await import('#core/biometrics/matcher');
  const PairSchema = z.object({ a: TemplateInputSchema, b: TemplateInputSchema });

  const input = args.pairs === '-' ? process.stdin : createReadStream(args.pairs);
  let lineNumber = 0;
  let failures = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    let parsed;
    try {
      parsed = PairSchema.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      failures++;
      const where = parsed?.error.issues[0];
      const reason = where ? `${where.path.join('.') || '(root)'}: ${where.message}` : 'not valid JSON';
      console.error(`error: line ${lineNumber}: ${reason}`);
      console.log('');
      continue;
    }
    console.log(baselineMatcher.compare(parsed.data.a, parsed.data.b).toFixed(3));
  }
  if (failures > 0) process.exit(1);
}
