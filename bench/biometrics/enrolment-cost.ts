/**
 * What one online enrolment costs today: a gallery grown to each size, then identities enrolled one
 * at a time through the single path (`enrolIdentities`, as `sc-pipeline seed --file` enrols), each
 * measured by DynamoDB's own accounting (ReturnConsumedCapacity on every write): items written, write
 * units, and the largest single write (a bucket item's update is billed on the whole item).
 *
 *   npx tsx bench/biometrics/enrolment-cost.ts [--sizes 2000,10000] [--enrolments 10]
 *
 * Against DynamoDB Local (Java), started here. Prints a Markdown table.
 */
import { cliArgs, intArg } from '#cli/args';
import { ENV } from '#runtime/environment-variables';
import { startDynamoDbLocal } from '#local/emulators/dynamodb-local';
import { useLocalCredentials } from '#local/emulators/local-credentials';
import { createGalleryTable } from './gallery-table';
import { percentiles } from '#bench/common/metrics';

const GALLERY_SEED = 4_041;

export interface EnrolmentCost {
  gallerySize: number;
  enrolments: number;
  items: { p50: number; max: number };
  writeUnits: { p50: number; max: number };
  /** Write units of the costliest single write: about the largest item's size in KB. */
  largestWriteUnits: number;
}

interface Consumed {
  CapacityUnits?: number;
}

const args = cliArgs(
  `npx tsx bench/biometrics/enrolment-cost.ts [--sizes 2000,10000] [--enrolments 10]

Grows a gallery in DynamoDB Local to each size and enrols identities one at a time through the
single enrolment path, printing items written and write units per enrolment.`,
  { sizes: { type: 'string' }, enrolments: { type: 'string' } },
);
const sizes = (typeof args.sizes === 'string' ? args.sizes : '2000,10000').split(',').map((size) => {
  const n = Number(size);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--sizes: ${size} is not a positive whole number`);
  return n;
});
const enrolments = intArg(args.enrolments, 'enrolments', 10);

useLocalCredentials();
const local = await startDynamoDbLocal();
try {
  // The adapters' client reads the endpoint when it is first built, below.
  process.env[ENV.dynamodbEndpoint] = local.endpoint;
  const [{ seedGallery }, { enrolIdentities }, { dynamoDocumentClient }, { syntheticGallery }, { enrolmentEntries }] =
    await Promise.all([
      import('#simulation/gallery-seeder'),
      import('#adapters/gallery-store'),
      import('#runtime/clients'),
      import('#simulation/synthetic-gallery'),
      import('#core/biometrics/index-keys'),
    ]);
  const tableName = await createGalleryTable(local.endpoint, 'sc-enrol');

  // Every write asks for its consumed capacity; the current enrolment's totals are kept here.
  let current: { items: number; units: number; largest: number } | null = null;
  dynamoDocumentClient().middlewareStack.add(
    (next) => async (call) => {
      const request = call.input as Record<string, unknown>;
      if (current) request.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(call);
      if (current) {
        const output = result.output as { ConsumedCapacity?: Consumed | Consumed[] };
        const consumed = [output.ConsumedCapacity ?? []].flat();
        const batch = request.RequestItems as Record<string, unknown[]> | undefined;
        current.items += batch ? Object.values(batch).reduce((sum, items) => sum + items.length, 0) : 1;
        for (const entry of consumed) {
          current.units += entry.CapacityUnits ?? 0;
          if (!batch) current.largest = Math.max(current.largest, entry.CapacityUnits ?? 0);
        }
      }
      return result;
    },
    { step: 'initialize', name: 'enrolmentCost' },
  );

  const results: EnrolmentCost[] = [];
  // Seeded identities take indexes from 0; the enrolled ones come from past the largest size, so each
  // is new to the gallery and the next size is seeded on top of them.
  let inGallery = 0;
  let nextSeeded = 0;
  let nextNewcomer = Math.max(...sizes);
  for (const size of [...sizes].sort((a, b) => a - b)) {
    if (size > inGallery) {
      const count = size - inGallery;
      await seedGallery({ tableName, count, seed: GALLERY_SEED, start: nextSeeded });
      nextSeeded += count;
      inGallery = size;
    }
    const items: number[] = [];
    const units: number[] = [];
    let largest = 0;
    const newcomers = [...syntheticGallery(GALLERY_SEED, enrolments, nextNewcomer)];
    nextNewcomer += enrolments;
    for (const identity of newcomers) {
      current = { items: 0, units: 0, largest: 0 };
      await enrolIdentities(tableName, [identity], enrolmentEntries);
      items.push(current.items);
      units.push(current.units);
      largest = Math.max(largest, current.largest);
      current = null;
    }
    const [itemsP50 = 0] = percentiles(items, [0.5]);
    const [unitsP50 = 0] = percentiles(units, [0.5]);
    results.push({
      gallerySize: inGallery,
      enrolments,
      items: { p50: itemsP50, max: Math.max(...items) },
      writeUnits: { p50: unitsP50, max: Math.max(...units) },
      largestWriteUnits: largest,
    });
    inGallery += enrolments;
  }

  console.log(
    '| gallery | enrolments | items written, p50 / max | write units, p50 / max | costliest single write, WCU |',
  );
  console.log('|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.gallerySize.toLocaleString('en-US')} | ${r.enrolments} | ${r.items.p50} / ${r.items.max} | ` +
        `${r.writeUnits.p50.toFixed(0)} / ${r.writeUnits.max.toFixed(0)} | ${r.largestWriteUnits.toFixed(0)} |`,
    );
  }
} finally {
  await local.stop();
}
