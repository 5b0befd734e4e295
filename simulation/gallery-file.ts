import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { enrolmentEntries } from '#core/biometrics/index-keys';
import { GalleryIdentitySchema, type GalleryIdentity } from '#core/schemas';
import { fieldErrors } from '#runtime/http';
import { enrolIdentities } from '#adapters/gallery-store';

export interface FileEnrolment {
  identities: number;
  templates: number;
  /** Lines that were not valid identities, with the wrong fields (no values). */
  rejected: Array<{ line: number; errors: string[] }>;
}

/**
 * Enrols the identities of a JSONL file (one GalleryIdentity per line) in batches. A line that is not
 * a valid identity is reported with its line number and field paths and skipped; the rest go in.
 */
export async function enrolIdentitiesFromFile(
  tableName: string,
  path: string,
  options: { batchSize?: number; onProgress?: (enrolled: number) => void } = {},
): Promise<FileEnrolment> {
  const batchSize = options.batchSize ?? 250;
  const result: FileEnrolment = { identities: 0, templates: 0, rejected: [] };
  let batch: GalleryIdentity[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const written = await enrolIdentities(tableName, batch, enrolmentEntries);
    result.identities += written.identities;
    result.templates += written.templates;
    batch = [];
    options.onProgress?.(result.identities);
  };

  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      result.rejected.push({ line, errors: ['(root): not valid JSON'] });
      continue;
    }
    const parsed = GalleryIdentitySchema.safeParse(value);
    if (!parsed.success) {
      result.rejected.push({ line, errors: fieldErrors(parsed.error).map((e) => `${e.path}: ${e.message}`) });
      continue;
    }
    batch.push(parsed.data);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return result;
}
