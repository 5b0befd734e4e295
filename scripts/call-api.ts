/**
 * Calls the deployed API with SigV4 (the routes use IAM auth), with the AWS SDK's usual credentials.
 *   npx tsx scripts/call-api.ts --url https://abc.execute-api.us-east-1.amazonaws.com post examples/booking.json
 *   npx tsx scripts/call-api.ts --url https://abc.execute-api.us-east-1.amazonaws.com get <submissionId>
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { withRetries } from '#local/harness/api-client';

const { values, positionals } = parseArgs({
  options: { url: { type: 'string' }, region: { type: 'string' } },
  allowPositionals: true,
});
const [verb, argument] = positionals;
if (!values.url || !argument || (verb !== 'post' && verb !== 'get')) {
  console.error('usage: call-api.ts --url API_URL [--region R] post BOOKING.json | get SUBMISSION_ID');
  process.exit(2);
}
const base = new URL(values.url);
const region = values.region ?? process.env.AWS_REGION ?? base.hostname.split('.')[2] ?? 'us-east-1';
const body = verb === 'post' ? readFileSync(argument, 'utf8') : undefined;
const path = `${base.pathname.replace(/\/$/, '')}/bookings${verb === 'get' ? `/${encodeURIComponent(argument)}` : ''}`;

const signer = new SignatureV4({
  service: 'execute-api',
  region,
  credentials: defaultProvider(),
  sha256: Hash.bind(null, 'sha256'),
});
const signed = await signer.sign({
  method: verb === 'post' ? 'POST' : 'GET',
  protocol: base.protocol,
  hostname: base.hostname,
  path,
  headers: { host: base.hostname, ...(body ? { 'content-type': 'application/json' } : {}) },
  ...(body ? { body } : {}),
});
// A signature holds for five minutes: the retries of a transient failure resend the same request.
const answer = await withRetries(
  async () => {
    const response = await fetch(`${base.origin}${path}`, {
      method: signed.method,
      headers: signed.headers,
      ...(body ? { body } : {}),
    });
    return { status: response.status, body: await response.text() };
  },
  {},
  '',
);
if (answer.retried.length > 0) console.error(`retried: ${answer.retried.join(', ')}`);
console.log(answer.status, answer.body);
