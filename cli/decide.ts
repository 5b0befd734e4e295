import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `sc-pipeline decide [--policy ID] [--explain] [--now ISO-TIME] CASE.json

Decides one case offline, as the decide step does, and prints the record as JSON on standard output.
With --explain, also prints the rules that fired and the reasons as readable text on standard error.
Writes nothing. CASE.json is {"booking": BookingSubmission, "match": MatchResult, "identity": gallery
identity or null}; its JSON Schema is docs/schemas/decision-case.schema.json. Use - for standard input.

  --policy ID      decide under this policy (default: the one in force on the booking date)
  --explain        print the rules that fired, as text, on standard error
  --now ISO-TIME   the decision time (default: now); the same case and time give the same record

Exit status: 0 decided; 1 the case is not valid (each wrong field is named); 2 usage.`;

let values: { policy?: string; explain?: boolean; now?: string; help?: boolean };
let positionals: string[];
try {
  ({ values, positionals } = parseArgs({
    options: {
      policy: { type: 'string' },
      explain: { type: 'boolean' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length !== 1) {
  console.error(`one CASE.json is required\n\n${USAGE}`);
  process.exit(2);
}
const now = values.now === undefined ? new Date() : new Date(values.now);
if (!Number.isFinite(now.getTime())) {
  console.error(`--now must be an ISO 8601 time (got ${values.now})`);
  process.exit(2);
}

const { DecisionCaseSchema, matchOfCase } = await import('#core/schemas');
const { fieldErrors } = await import('#runtime/http');
const { decide } = await import('#core/policy/decide');
const { explainRecord } = await import('./explain');
const { policyInForce } = await import('#core/policy/registry');

const file = positionals[0]!;
let text: string;
try {
  text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
} catch (error) {
  console.error(`Cannot read ${file}: ${(error as Error).message}`);
  process.exit(1);
}
let body: unknown;
try {
  body = JSON.parse(text);
} catch (error) {
  console.error(`${file} is not valid JSON: ${jsonSyntaxProblem(text, error as Error)}`);
  process.exit(1);
}
const parsed = DecisionCaseSchema.safeParse(body);
if (!parsed.success) {
  console.error(`${file} is not a valid case:`);
  for (const error of fieldErrors(parsed.error)) console.error(`  ${error.path}: ${error.message}`);
  process.exit(1);
}
let policy;
try {
  policy = policyInForce(parsed.data.booking.bookedAt, values.policy);
} catch (error) {
  console.error((error as Error).message);
  process.exit(values.policy === undefined ? 1 : 2);
}
const record = decide(matchOfCase(parsed.data), policy, { now });
console.log(JSON.stringify(record, null, 2));
if (values.explain) console.error(explainRecord(record));

/**
 * Where the JSON text goes wrong, without quoting it: V8's own message quotes the text around the
 * error ("Unexpected token 'J', ..."name": JOHN"... is not valid JSON"), and a case holds personal data.
 */
function jsonSyntaxProblem(text: string, error: Error): string {
  const position = /at position (\d+)/.exec(error.message)?.[1];
  if (position !== undefined) {
    const before = text.slice(0, Number(position)).split('\n');
    return `the error is at line ${before.length}, column ${(before[before.length - 1] ?? '').length + 1}`;
  }
  if (/Unexpected end of JSON input/.test(error.message)) return 'the text ends too early';
  return 'an unexpected character (check quotes, commas and brackets)';
}
