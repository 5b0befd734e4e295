import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OutcomeRecordSchema } from '#core/schemas';

const run = promisify(execFile);
const EXAMPLE = 'docs/examples/decision-case.json';
type Result = { code?: number; stdout: string; stderr: string };
const decideCli = (...args: string[]): Promise<Result> =>
  run('node', ['bin/sc-pipeline.js', 'decide', ...args]).catch((error: Result) => error);

/** `sc-pipeline decide` as a user runs it: a process, the README's example case in, a record out. */
describe('sc-pipeline decide', () => {
  it('decides the example case into a detainer record, the same for the same --now, and explains it', async () => {
    // Act
    const first = await decideCli('--explain', '--now', '2011-11-23T15:31:05Z', EXAMPLE);
    const again = await decideCli('--now', '2011-11-23T15:31:05Z', EXAMPLE);

    // Assess
    const record = OutcomeRecordSchema.parse(JSON.parse(first.stdout));
    expect(record).toMatchObject({ type: 'detainer', level: 'L2', policy: { id: 'sc-2011' } });
    expect(JSON.parse(again.stdout)).toEqual(record);
    expect(first.stderr).toContain('Rules that fired, in order:');
    expect(first.stderr).toContain('detainer.priority-level');
    // Thanksgiving 2011 and the weekend do not count toward the 48-hour hold.
    expect(record.type === 'detainer' && record.hold.deadline).toBe('2011-11-28T15:30:00.000Z');
  });

  it('names every wrong field of a bad case and exits 1; an unknown policy exits 2', async () => {
    // Prepare
    const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, Record<string, unknown>>;
    const bad = structuredClone(example);
    bad.booking!.bookedAt = 'yesterday';
    bad.identity!.subjectId = 'FIN1999999999';
    bad.match!.outcome = 'maybe';
    const file = join(mkdtempSync(join(tmpdir(), 'decide-')), 'bad.json');
    writeFileSync(file, JSON.stringify(bad));

    // Act
    const invalid = await decideCli(file);
    const unknownPolicy = await decideCli('--policy', 'no-such-era', EXAMPLE);

    // Assess
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toContain('booking.bookedAt');
    expect(invalid.stderr).toContain('match.outcome');
    expect(unknownPolicy.code).toBe(2);
    expect(unknownPolicy.stderr).toContain('Unknown decision policy "no-such-era"');
  });
});
