import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOKING_LIMITS } from '#core/schemas';
import { TEMPLATE_LIMITS } from '#core/schemas/template';
import {
  jsonType,
  nodesOf,
  pathText,
  withValueAt,
  withoutKeyAt,
  type Json,
  type JsonObject,
  type Path,
} from '#test/support/json-tree';

/**
 * Hostile CASE.json files for `sc-pipeline decide`, run as a user runs it (a process per case, so
 * few runs: about 25 in all). Whatever the file holds, the CLI exits 1 naming the wrong field on
 * standard error, prints nothing on standard output, shows no stack trace and quotes nothing from
 * the file. The in-process properties of the same families are in ingest.property.test.ts.
 */

const run = promisify(execFile);
const EXAMPLE = 'docs/examples/decision-case.json';
type Result = { code?: number; stdout: string; stderr: string };
const decideCli = (...args: string[]): Promise<Result> =>
  run('node', ['bin/sc-pipeline.js', 'decide', ...args], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: Result) => error,
  );

const CASE = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as JsonObject;
const CASE_TEXT = JSON.stringify(CASE, null, 2);
/** Planted in hostile values: it must never come back. */
const MARK = 'Qx7EchoMark';
/** The example's personal and free-text values. */
const PERSONAL = ['JOHN', '1980-02-29', 'PENAL CODE 30.02', 'BURGLARY OF A HABITATION', 'B-2011-0417', 'LAREDO POE'];
const RUNS = { numRuns: 3 };
const FEW_RUNS = { numRuns: 2 };
const TIMEOUT_MS = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'hostile-decide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Writes the text to a file and runs `sc-pipeline decide` on it; stderr with the file's name taken out. */
async function decideText(text: string): Promise<Result> {
  const file = join(dir, `case-${++files}.json`);
  writeFileSync(file, text);
  const result = await decideCli(file);
  return { ...result, stderr: result.stderr.replaceAll(file, 'CASE.json') };
}

/**
 * Exit 1, nothing on stdout, no stack trace, nothing quoted from the file; the field (or one inside
 * it) named when given, any field for `(root)`.
 */
function expectInvalid(result: Result, path?: string): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toContain('    at ');
  for (const value of [MARK, ...PERSONAL]) expect(result.stderr).not.toContain(value);
  if (path !== undefined) {
    const named = result.stderr
      .split('\n')
      .some((line) =>
        path === '(root)' ? line.startsWith('  ') : line.startsWith(`  ${path}:`) || line.startsWith(`  ${path}.`),
      );
    expect(named, `stderr does not name ${path}:\n${result.stderr}`).toBe(true);
  }
}

const NODES = nodesOf(CASE).filter((node) => node.path.length > 0);
const OBJECT_NODES = nodesOf(CASE).filter(
  (n) => n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value),
);

const notJson = (text: string) => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
};
const template = ['booking', 'fingers', 0, 'template'] as const;
const minutiae = [...template, 'minutiae'] as const;

describe('sc-pipeline decide under hostile CASE.json files', { timeout: TIMEOUT_MS }, () => {
  it('exits 1 on malformed JSON without quoting the file', async () => {
    const malformed = fc
      .oneof(
        fc.integer({ min: 0, max: CASE_TEXT.length - 1 }).map((at) => `${CASE_TEXT.slice(0, at)}${MARK}`),
        fc.integer({ min: 1, max: CASE_TEXT.length - 1 }).map((n) => CASE_TEXT.slice(0, n)),
      )
      .filter(notJson);

    await fc.assert(
      fc.asyncProperty(malformed, async (text) => expectInvalid(await decideText(text))),
      RUNS,
    );
  });

  it('names a value of the wrong type', async () => {
    const wrongTyped = fc.constantFrom(...NODES).chain((node) =>
      fc
        .constantFrom<Json>(null, true, -1, MARK, [MARK], { value: MARK })
        .filter((value) => jsonType(value) !== jsonType(node.value))
        .map((value) => ({ node, value })),
    );

    await fc.assert(
      fc.asyncProperty(wrongTyped, async ({ node, value }) => {
        expectInvalid(await decideText(JSON.stringify(withValueAt(CASE, node.path, value))), pathText(node.path));
      }),
      RUNS,
    );
  });

  it('names a required field that is missing', async () => {
    const optional = ['identity.immigration.aNumber'];
    const keyed = NODES.filter(
      (node) => typeof node.path[node.path.length - 1] === 'string' && !optional.includes(pathText(node.path)),
    );

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keyed), async (node) => {
        expectInvalid(await decideText(JSON.stringify(withoutKeyAt(CASE, node.path))), pathText(node.path));
      }),
      RUNS,
    );
  });

  it('names an array beyond its limit', async () => {
    const booking = CASE.booking as JsonObject;
    const huge = fc.oneof(
      fc.integer({ min: BOOKING_LIMITS.maxFingers + 1, max: 500 }).map((n) => ({
        path: ['booking', 'fingers'] as Path,
        value: Array.from({ length: n }, () => (booking.fingers as Json[])[1] as Json),
      })),
      fc.integer({ min: BOOKING_LIMITS.maxCharges + 1, max: 5000 }).map((n) => ({
        path: ['booking', 'charges'] as Path,
        value: Array.from({ length: n }, () => (booking.charges as Json[])[0] as Json),
      })),
      fc.integer({ min: TEMPLATE_LIMITS.maxMinutiae + 1, max: 20_000 }).map((n) => ({
        path: minutiae as Path,
        value: Array.from({ length: n }, () => ({ x: 1, y: 1, angle: 0, type: 'ending', quality: 50 })),
      })),
    );

    await fc.assert(
      fc.asyncProperty(huge, async ({ path, value }) => {
        expectInvalid(await decideText(JSON.stringify(withValueAt(CASE, path, value))), pathText(path));
      }),
      FEW_RUNS,
    );
  });

  it('names the field (or the body) holding 5,000 to 10,000 levels of nesting', async () => {
    const nested = fc
      .record({ depth: fc.integer({ min: 5000, max: 10_000 }), array: fc.boolean() })
      .map(({ depth, array }) =>
        array ? `${'['.repeat(depth)}"${MARK}"${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      );
    const placed = fc.oneof(
      fc.record({ node: fc.constantFrom(...NODES), raw: nested }).map(({ node, raw }) => ({ node, raw })),
      nested.map((raw) => ({ node: { path: [] as Path, value: null }, raw })),
    );

    await fc.assert(
      fc.asyncProperty(placed, async ({ node, raw }) => {
        const placeholder = `@@${MARK}@@`;
        const text = JSON.stringify(withValueAt(CASE, node.path, placeholder)).replace(
          JSON.stringify(placeholder),
          () => raw,
        );
        expectInvalid(await decideText(text), pathText(node.path));
      }),
      FEW_RUNS,
    );
  });

  it('names a string over its limit', async () => {
    const name = ['booking', 'subject', 'name', 'last'];
    const tooLong = fc.oneof(
      fc
        .integer({ min: BOOKING_LIMITS.maxNameChars + 1, max: 500_000 })
        .map((n) => ({ path: name, value: MARK + 'A'.repeat(n) })),
      fc
        .integer({ min: 1, max: 500_000 })
        .map((n) => ({ path: ['booking', 'bookedAt'], value: `2011-11-23T09:30:00.${'1'.repeat(14 + n)}-06:00` })),
    );

    await fc.assert(
      fc.asyncProperty(tooLong, async ({ path, value }) => {
        expectInvalid(await decideText(JSON.stringify(withValueAt(CASE, path, value))), pathText(path));
      }),
      FEW_RUNS,
    );
  });

  it('names a field holding control characters, noncharacters or lone surrogates', async () => {
    const hostile = fc.record({
      path: fc.constantFrom<Path>(
        ['booking', 'subject', 'name', 'first'],
        ['booking', 'charges', 0, 'literal'],
        ['booking', 'ori'],
        ['match', 'outcome'],
        ['identity', 'subjectId'],
      ),
      char: fc.constantFrom('\u0000', '\u001b', '\u0085', '\ud800', '\udfff', '\ufffe', '\uffff'),
    });

    await fc.assert(
      fc.asyncProperty(hostile, async ({ path, char }) => {
        expectInvalid(await decideText(JSON.stringify(withValueAt(CASE, path, `A${char}${MARK}`))), pathText(path));
      }),
      FEW_RUNS,
    );
  });

  it('names __proto__, constructor and prototype keys anywhere', async () => {
    const protoKey = fc.record({
      node: fc.constantFrom(...OBJECT_NODES),
      key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    });

    await fc.assert(
      fc.asyncProperty(protoKey, async ({ node, key }) => {
        const text = JSON.stringify(withValueAt(CASE, [...node.path, key], { polluted: MARK }));
        expectInvalid(await decideText(text), pathText([...node.path, key]));
      }),
      RUNS,
    );
  });

  it('names the data of a malformed ISO/IEC 19794-2 record', async () => {
    const data = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.constantFrom('Rk1SACAyMAA=', 'Rk1SADAzMAAAAAAA', 'not base64!', 'Rk1SACAyMAAAAAAu'),
    );

    await fc.assert(
      fc.asyncProperty(data, async (base64) => {
        const text = JSON.stringify(withValueAt(CASE, template, { format: 'iso-19794-2', data: base64 }));
        expectInvalid(await decideText(text), pathText([...template, 'data']));
      }),
      FEW_RUNS,
    );
  });

  it('names a minutia field out of range', async () => {
    const outOfRange = fc.oneof(
      fc.integer({ min: 416, max: 100_000 }).map((value) => ({ field: 'x', value })),
      fc.double({ min: 360, max: 1e9, noNaN: true }).map((value) => ({ field: 'angle', value })),
      fc.double({ min: -1e9, max: -Number.MIN_VALUE, noNaN: true }).map((value) => ({ field: 'angle', value })),
      fc.integer({ min: 101, max: 100_000 }).map((value) => ({ field: 'quality', value })),
      fc.constant({ field: 'y', value: 12.5 }),
    );

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1 }), outOfRange, async (i, { field, value }) => {
        const path = [...minutiae, i, field];
        expectInvalid(await decideText(JSON.stringify(withValueAt(CASE, path, value))), pathText(path));
      }),
      FEW_RUNS,
    );
  });
});

/** Regressions: the bug these properties found, as a plain example. */
describe('sc-pipeline decide: regressions found by the hostile properties', { timeout: TIMEOUT_MS }, () => {
  // Malformed JSON: the error printed V8's message, which quotes the text around the error
  // (`Unexpected token 'J', ..."last": JOHN"... is not valid JSON`): personal data on stderr.
  it('says where malformed JSON goes wrong without quoting it', async () => {
    // Prepare
    const unquoted = '{"booking": {"subject": {"name": {"last": JOHN, "first": "BURGLARY OF A HABITATION"}}}}';
    const trailingComma = '{\n  "booking": {\n    "bookingNumber": "B-2011-0417",\n  }\n}';

    // Act
    const first = await decideText(unquoted);
    const second = await decideText(trailingComma);

    // Assess
    expectInvalid(first);
    expectInvalid(second);
    expect(first.stderr).toBe(
      'CASE.json is not valid JSON: an unexpected character (check quotes, commas and brackets)\n',
    );
    expect(second.stderr).toBe('CASE.json is not valid JSON: the error is at line 4, column 3\n');
  });
});
