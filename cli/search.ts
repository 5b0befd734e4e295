import { readFileSync } from 'node:fs';
import { cliArgs } from './args';

const USAGE = `sc-pipeline search --probe BOOKING.json --table NAME [--endpoint URL] [--policy ID]

Runs one 1:N search of a booking's fingerprints against a gallery table, as the match step does, and
prints the candidates with their scores, the search's cost and the decision the policy would make.
Nothing is written. Without --endpoint the AWS SDK's usual credentials and region are used.

  --probe FILE     a BookingSubmission (JSON)
  --table NAME     the gallery table (the stack's GalleryTableName output, or sc-local-gallery)
  --endpoint URL   a local DynamoDB endpoint, e.g. http://127.0.0.1:8000 (npm run local)
  --policy ID      decide under this policy (default: the one in force on the booking date)`;

const args = cliArgs(USAGE, {
  probe: { type: 'string' },
  table: { type: 'string' },
  endpoint: { type: 'string' },
  policy: { type: 'string' },
});
if (typeof args.probe !== 'string' || typeof args.table !== 'string') {
  console.error(`--probe and --table are required\n\n${USAGE}`);
  process.exit(2);
}

const { ENV } = await import('#runtime/environment-variables');
if (typeof args.endpoint === 'string') {
  const { useLocalCredentials } = await import('#local/emulators/local-credentials');
  useLocalCredentials();
  process.env[ENV.dynamodbEndpoint] = args.endpoint;
}
const { BookingSubmissionSchema } = await import('#core/schemas');
const { fieldErrors } = await import('#runtime/http');
const { dynamoGalleryReader } = await import('#adapters/gallery-store');
const { searchBooking } = await import('#functions/match/search-booking');
const { decide } = await import('#core/policy/decide');
const { policyInForce } = await import('#core/policy/registry');

let body: unknown;
try {
  body = JSON.parse(readFileSync(args.probe, 'utf8'));
} catch (error) {
  console.error(`Cannot read ${args.probe} as JSON: ${(error as Error).message}`);
  process.exit(2);
}
const parsed = BookingSubmissionSchema.safeParse(body);
if (!parsed.success) {
  console.error(`${args.probe} is not a valid booking:`);
  for (const error of fieldErrors(parsed.error)) console.error(`  ${error.path}: ${error.message}`);
  process.exit(2);
}

const match = await searchBooking(parsed.data, dynamoGalleryReader(args.table));
const policy = policyInForce(match.booking.bookedAt, typeof args.policy === 'string' ? args.policy : undefined);
const record = decide(match, policy);
console.log(
  JSON.stringify(
    {
      outcome: match.outcome,
      candidates: match.candidates,
      search: match.search,
      matcher: match.matcher,
      decision: {
        type: record.type,
        policy: record.policy,
        rulesFired: record.rulesFired.map((rule) => rule.id),
        reasons: record.reasons,
      },
    },
    null,
    2,
  ),
);
