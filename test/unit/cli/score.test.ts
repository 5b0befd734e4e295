import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateImpression, generateMasterFinger } from '#simulation/synthetic-fingers';
import { createRng } from '#simulation/random';

const run = promisify(execFile);

/** `sc-pipeline score` as a user runs it: a process, a JSONL file in, one score per line out. */
describe('sc-pipeline score', () => {
  it('prints one score per pair, high for the same finger, and fails on a bad line', async () => {
    // Prepare
    const rng = createRng(4242);
    const same = generateMasterFinger(rng.fork('same'), 2);
    const other = generateMasterFinger(rng.fork('other'), 2);
    const impression = (label: string, master: typeof same) => generateImpression(master, rng.fork(label), 'good');
    const file = join(mkdtempSync(join(tmpdir(), 'score-')), 'pairs.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ a: impression('a', same), b: impression('b', same) }),
        JSON.stringify({ a: impression('c', same), b: impression('d', other) }),
        '{"a": 1}',
      ].join('\n'),
    );

    // Act
    const result = await run('node', ['bin/sc-pipeline.js', 'score', '--pairs', file]).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    // Assess
    const [genuine, impostor, bad] = result.stdout.split('\n');
    expect(Number(genuine)).toBeGreaterThan(10 * Number(impostor));
    expect(bad).toBe('');
    expect(result.stderr).toContain('line 3');
    expect((result as { code?: number }).code).toBe(1);
  }, 30_000);
});
