import '#local/powertools-env';
import { seedGallery } from '#simulation/gallery-seeder';
import { ENV } from '#runtime/environment-variables';
import { useLocalCredentials } from '#local/emulators/local-credentials';
import { progressBar } from '#cli/progress';
import { cliArgs, intArg } from '#cli/args';

const USAGE = `npm run seed -- --table NAME [options]     (or: npx sc-pipeline seed ...)

Writes identities (records, fingerprint templates, index) to a gallery table: synthetic ones, where
the same seed gives the same people (a run can be repeated or extended with --start), or the ones of
a file.

  --file FILE        enrol the identities of a JSONL file instead, one gallery identity per line:
                     {"subjectId","immigration","criminalHistory","biographics","fingers":[{"position","template"}]}
  --table NAME       the gallery table (the stack's GalleryTableName output, or sc-local-gallery)
  --count N          identities to write            (default 2000)
  --seed N           seed of the gallery            (default 1)
  --start N          index of the first identity    (default 0)
  --endpoint URL     a local DynamoDB endpoint, e.g. http://127.0.0.1:8000 (npm run local);
                     without it the AWS SDK's usual credentials and region are used`;

const args = cliArgs(USAGE, {
  table: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  start: { type: 'string' },
  endpoint: { type: 'string' },
  file: { type: 'string' },
});
if (!args.table) {
  console.error(`--table is required\n\n${USAGE}`);
  process.exit(2);
}
if (args.endpoint) {
  useLocalCredentials();
  process.env[ENV.dynamodbEndpoint] = String(args.endpoint);
}
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';

if (typeof args.file === 'string') {
  const { enrolIdentitiesFromFile } = await import('#simulation/gallery-file');
  const started = performance.now();
  const result = await enrolIdentitiesFromFile(String(args.table), args.file, {
    onProgress: (enrolled) => console.log(`enrolled ${enrolled}`),
  });
  for (const { line, errors } of result.rejected) console.error(`line ${line}: ${errors.join('; ')}`);
  console.log(
    `Enrolled ${result.identities} identities (${result.templates} templates) from ${args.file} into ` +
      `${String(args.table)} in ${((performance.now() - started) / 1000).toFixed(1)} s; ${result.rejected.length} lines rejected`,
  );
  process.exit(result.rejected.length > 0 ? 1 : 0);
}

const count = intArg(args.count, 'count', 2000);
const bar = progressBar('Seeding gallery', count);
const summary = await seedGallery({
  tableName: String(args.table),
  count,
  seed: intArg(args.seed, 'seed', 1),
  start: intArg(args.start, 'start', 0),
  onProgress: (done) => bar.update(done),
});
bar.finish();
console.log(
  `Seeded ${summary.identities} identities (${summary.templates} templates, ${summary.indexKeyWrites} index buckets) ` +
    `into ${String(args.table)} in ${summary.seconds.toFixed(1)} s`,
);
