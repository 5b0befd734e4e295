import { InvalidMessageContents } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_LIMITS } from '#functions/definitions';
import { HIDDEN_KEY } from '#runtime/http';
import { encodeIsoTemplate, ISO_MAX_BASE64_CHARS } from '#core/biometrics/iso-19794-2';
import { BOOKING_LIMITS, type MinutiaeTemplate } from '#core/schemas';
import { TEMPLATE_LIMITS } from '#core/schemas/template';
import { bookingOfSubject } from '#simulation/synthetic-bookings';
import { ingestBooking } from '#functions/ingest/ingest-booking';
import { inMemoryQueue, inMemorySubmissionStore } from '#test/support/in-memory-ports';
import {
  jsonType,
  nodesOf,
  pathText,
  withValueAt,
  withoutKeyAt,
  type Json,
  type JsonObject,
  type Node,
  type Path,
} from '#test/support/json-tree';

/**
 * Hostile input to POST /bookings, as fast-check properties run in-process against the use case
 * over an in-memory submission store and queue (the queue applying SQS's own checks on a message).
 * Whatever a client sends, the answer is a 400 (naming the wrong field) or a 413, never a 5xx or a
 * throw; nothing is registered or enqueued; nothing submitted comes back.
 * Families: malformed JSON, wrong types, missing fields, huge arrays, deep nesting, huge strings,
 * unicode and control characters, prototype keys, malformed ISO/IEC 19794-2 records, minutiae out of
 * range. The limits are in docs/limits.md.
 */

const VALID = bookingOfSubject({ seed: 11, gallerySeed: 11 }, 0, { galleryIndex: null, profile: 'good' })
  .booking as unknown as JsonObject;
const VALID_TEXT = JSON.stringify(VALID);
/** Planted in hostile strings: it must never come back in an answer. */
const MARK = 'Qx7EchoMark';
/** The booking's personal and free-text values: no refusal may echo them. */
const PERSONAL = ((): string[] => {
  const subject = VALID.subject as JsonObject;
  const name = subject.name as JsonObject;
  const charge = (VALID.charges as JsonObject[])[0] as JsonObject;
  const values = [name.last, name.first, name.middle, subject.dateOfBirth, charge.statute, charge.literal];
  values.push(VALID.bookingNumber, VALID.submissionId, VALID.ori, VALID.bookedAt);
  return values.filter((value): value is string => typeof value === 'string');
})();
/** Far below Lambda's 6 MB response limit: the error list is capped (API_LIMITS.maxFieldErrors). */
const MAX_ANSWER_CHARS = 32 * 1024;

const fingersOf = (booking: JsonObject) => booking.fingers as JsonObject[];
const templateOf = (booking: JsonObject, k: number) => (fingersOf(booking)[k] as JsonObject).template as JsonObject;
const FINGER_COUNT = fingersOf(VALID).length;
const MINUTIAE_COUNTS = fingersOf(VALID).map((_, k) => (templateOf(VALID, k).minutiae as Json[]).length);
/** Each finger's template as a valid ISO/IEC 19794-2 record. */
const RECORDS = fingersOf(VALID).map((finger, k) =>
  encodeIsoTemplate(templateOf(VALID, k) as unknown as MinutiaeTemplate, { fingerPosition: Number(finger.position) }),
);

// ---------------------------------------------------------------------------------------------
// JSON paths

const NODES = nodesOf(VALID).filter((node) => node.path.length > 0);
const OBJECT_NODES = nodesOf(VALID).filter(
  (n) => n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value),
);

/**
 * A node of the booking: first a shape (`fingers.*.template.minutiae.*.x`) uniformly, then one node
 * of that shape, so that the few top-level fields are picked as often as the 2,000 minutia fields.
 */
function nodeFrom(nodes: Node[]): fc.Arbitrary<Node> {
  const groups = new Map<string, Node[]>();
  for (const node of nodes) {
    const shape = node.path.map((p) => (typeof p === 'number' ? '*' : p)).join('.');
    groups.set(shape, [...(groups.get(shape) ?? []), node]);
  }
  return fc.constantFrom(...groups.values()).chain((group) => fc.constantFrom(...group));
}

/** JSON text of `root` with the value at `path` replaced by raw JSON text (for nesting JSON.stringify would not survive). */
function textWithRawAt(root: Json, path: Path, raw: string): string {
  const placeholder = `@@raw-${MARK}@@`;
  return JSON.stringify(withValueAt(root, path, placeholder)).replace(JSON.stringify(placeholder), () => raw);
}

// ---------------------------------------------------------------------------------------------
// The handler, its in-memory ports, and what every refusal must look like

/**
 * SQS's own checks on SendMessage: a body may hold only #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD
 * | #x10000-#x10FFFF (anything else is InvalidMessageContents) and at most 256 KiB.
 */
const SQS_CHARACTERS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const SQS_MAX_MESSAGE_BYTES = 256 * 1024;
function sqsSendMessage(body: string): void {
  if (!SQS_CHARACTERS.test(body)) {
    throw new InvalidMessageContents({ message: 'Invalid characters found in the message body', $metadata: {} });
  }
  if (Buffer.byteLength(body) > SQS_MAX_MESSAGE_BYTES) throw new Error('MessageTooLong');
}

interface Answer {
  status: number;
  text: string;
  body: { message?: unknown; errors?: { path: string; message: string }[] };
  queueSends: number;
  storeCalls: number;
}

async function submit(text: string, options: { base64?: boolean } = {}): Promise<Answer> {
  // Every submission is new to its store, as each submitted id is.
  const submissions = inMemorySubmissionStore();
  const bookings = inMemoryQueue(sqsSendMessage);
  const event = {
    body: options.base64 ? Buffer.from(text, 'utf8').toString('base64') : text,
    isBase64Encoded: options.base64 === true,
  } as APIGatewayProxyEventV2;
  // A throw here fails the property: the client would get a 5xx.
  const answer = await ingestBooking(event, { submissions, bookings });
  const answerText = answer.body ?? '';
  return {
    status: answer.statusCode ?? 0,
    text: answerText,
    body: JSON.parse(answerText) as Answer['body'],
    queueSends: bookings.log.count('send'),
    storeCalls: submissions.log.count(),
  };
}

const submitJson = (value: Json) => submit(JSON.stringify(value));
const statusForSize = (text: string) => (Buffer.byteLength(text, 'utf8') > API_LIMITS.maxBodyBytes ? 413 : 400);
const names = (errors: { path: string }[], path: string) =>
  errors.some((e) => e.path === path || (path === '(root)' ? true : e.path.startsWith(`${path}.`)));

/** A 400 or 413 with a message (and for a 400 the errors, naming `path`), nothing stored or sent, nothing echoed. */
function expectRefused(answer: Answer, expected: { status?: 400 | 413; path?: string } = {}): void {
  expect([400, 413]).toContain(answer.status);
  if (expected.status !== undefined) expect(answer.status).toBe(expected.status);
  expect(typeof answer.body.message).toBe('string');
  if (answer.status === 400) {
    const errors = answer.body.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toEqual({ path: expect.any(String), message: expect.any(String) });
    if (expected.path !== undefined) {
      const paths = errors.map((e) => e.path);
      expect(names(errors, expected.path), `no error names ${expected.path}; got ${paths.join(', ')}`).toBe(true);
    }
  }
  expect(answer.queueSends).toBe(0);
  expect(answer.storeCalls).toBe(0);
  for (const value of [MARK, ...PERSONAL]) expect(answer.text).not.toContain(value);
  expect(answer.text.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
}

/** Either accepted (registered and enqueued once) or refused with the field named; never a throw. */
function expectAcceptedOrRefused(answer: Answer, path: string): void {
  if (answer.status === 202) {
    expect(answer.queueSends).toBe(1);
    expect(answer.text).not.toContain(MARK);
    return;
  }
  expectRefused(answer, { status: 400, path });
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const finger = fc.integer({ min: 0, max: FINGER_COUNT - 1 });
const fingerAndMinutia = finger.chain((k) =>
  fc.integer({ min: 0, max: (MINUTIAE_COUNTS[k] ?? 1) - 1 }).map((i) => ({ k, i })),
);
/** Characters a string field should survive or refuse cleanly. */
const hostileChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\ufffe', '\uffff', '\ufdd0', '\u{1fffe}', '\u{10ffff}'),
  fc.constantFrom('\ufeff', '\u202e', '\u200d', '\u200b', '\u0301', '\ufffd', 'ß', 'İ', '\u{1f600}', '\u{e0001}'),
);
const hostileText = fc
  .tuple(fc.string({ unit: 'binary', maxLength: 20 }), hostileChar, fc.string({ unit: 'grapheme', maxLength: 20 }))
  .map(([before, char, after]) => `${before}${char}${MARK}${after}`);
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const patched = (bytes: Uint8Array, at: number, values: number[]) => {
  const copy = Uint8Array.from(bytes);
  copy.set(values, at);
  return copy;
};

const NUMBER_OF_RUNS = { cheap: 100, heavy: 30 } as const;

// ---------------------------------------------------------------------------------------------

describe('POST /bookings under hostile input', () => {
  it('answers malformed JSON with a 400 on (root), whatever the text', async () => {
    const malformed = fc
      .oneof(
        fc.integer({ min: 0, max: VALID_TEXT.length - 1 }).map((n) => VALID_TEXT.slice(0, n)),
        fc
          .record({ at: fc.integer({ min: 0, max: VALID_TEXT.length }), char: fc.constantFrom(...'{}[],:"\\') })
          .map(({ at, char }) => `${VALID_TEXT.slice(0, at)}${char}${VALID_TEXT.slice(at)}`),
        fc.string({ unit: 'binary', maxLength: 200 }).map((s) => `${MARK}${s}`),
        fc.constantFrom(
          `{'ori':'${MARK}'}`,
          `{"ori":"${MARK}",}`,
          `{"ori":${MARK}}`,
          `NaN`,
          `{"a":undefined,"b":"${MARK}"}`,
          `// ${MARK}\n{}`,
          `\ufeff{"ori":"${MARK}"}`,
          `{"a":1}{"b":"${MARK}"}`,
          `"${MARK}`,
          `{"a":01,"b":"${MARK}"}`,
          `{"a":"tab\there ${MARK}"}`,
          `{"a":"\\x41 ${MARK}"}`,
          '',
        ),
        fc.constant(`${VALID_TEXT}x${MARK}`),
      )
      .filter((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      });

    await fc.assert(
      fc.asyncProperty(malformed, fc.boolean(), async (text, base64Encoded) => {
        // Act
        const answer = await submit(text, { base64: base64Encoded });

        // Assess
        expectRefused(answer, { status: 400, path: '(root)' });
        expect(answer.body.errors).toEqual([{ path: '(root)', message: expect.any(String) }]);
      }),
      { numRuns: NUMBER_OF_RUNS.cheap },
    );
  });

  it('names the field when one value has the wrong type', async () => {
    const wrongTyped = nodeFrom(NODES).chain((node) =>
      fc
        .oneof(
          fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
          fc.constantFrom<Json>(null, true, 0, -1, 1e300, '', `${MARK}`, [], {}, [MARK], { value: MARK }),
        )
        .filter((value) => jsonType(value) !== jsonType(node.value))
        .map((value) => ({ node, value })),
    );

    await fc.assert(
      fc.asyncProperty(wrongTyped, async ({ node, value }) => {
        // Act
        const answer = await submitJson(withValueAt(VALID, node.path, value));

        // Assess
        expectRefused(answer, { status: 400, path: pathText(node.path) });
      }),
      { numRuns: NUMBER_OF_RUNS.cheap },
    );
  });

  it('names a required field that is missing', async () => {
    // Every key but the one optional field, the middle name.
    const keyed = NODES.filter(
      (node) => typeof node.path[node.path.length - 1] === 'string' && pathText(node.path) !== 'subject.name.middle',
    );

    await fc.assert(
      fc.asyncProperty(nodeFrom(keyed), async (node) => {
        // Act
        const answer = await submitJson(withoutKeyAt(VALID, node.path));

        // Assess
        expectRefused(answer, { status: 400, path: pathText(node.path) });
      }),
      { numRuns: NUMBER_OF_RUNS.cheap },
    );
  });

  it('refuses fingers, charges and minutiae beyond their limits with a 400 on the array (413 if too big)', async () => {
    const charge = (VALID.charges as Json[])[0] as Json;
    const huge = fc.oneof(
      fc.integer({ min: BOOKING_LIMITS.maxFingers + 1, max: 200 }).map((n) => ({
        path: ['fingers'] as Path,
        value: Array.from({ length: n }, (_, i) => fingersOf(VALID)[i % FINGER_COUNT] as Json),
      })),
      fc.integer({ min: BOOKING_LIMITS.maxCharges + 1, max: 4000 }).map((n) => ({
        path: ['charges'] as Path,
        value: Array.from({ length: n }, () => charge),
      })),
      fc.record({ k: finger, n: fc.integer({ min: TEMPLATE_LIMITS.maxMinutiae + 1, max: 5000 }) }).map(({ k, n }) => ({
        path: ['fingers', k, 'template', 'minutiae'] as Path,
        value: Array.from(
          { length: n },
          (_, i) => (templateOf(VALID, k).minutiae as Json[])[i % (MINUTIAE_COUNTS[k] ?? 1)] as Json,
        ),
      })),
      fc
        .record({
          path: fc.constantFrom<Path>(['fingers'], ['charges'], ['fingers', 0, 'template', 'minutiae']),
          n: fc.integer({ min: TEMPLATE_LIMITS.maxMinutiae + 1, max: 70_000 }),
        })
        .map(({ path, n }) => ({ path, value: Array.from({ length: n }, () => ({})) as Json })),
    );

    await fc.assert(
      fc.asyncProperty(huge, async ({ path, value }) => {
        // Prepare
        const text = JSON.stringify(withValueAt(VALID, path, value));

        // Act
        const answer = await submit(text);

        // Assess
        expectRefused(answer, { status: statusForSize(text), path: pathText(path) });
      }),
      { numRuns: NUMBER_OF_RUNS.heavy },
    );
  });

  it('refuses deep nesting in a field, as an extra field, and as the body', async () => {
    const nested = fc
      .record({
        depth: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1000, max: 10_000 }), fc.constant(10_000)),
        kind: fc.constantFrom('array', 'object'),
      })
      .map(({ depth, kind }) =>
        kind === 'array'
          ? `${'['.repeat(depth)}"${MARK}"${']'.repeat(depth)}`
          : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      );
    const placed = fc.oneof(
      fc.record({ node: nodeFrom(NODES), raw: nested }).map(({ node, raw }) => ({
        text: textWithRawAt(VALID, node.path, raw),
        path: pathText(node.path),
      })),
      fc.record({ node: nodeFrom(OBJECT_NODES), raw: nested }).map(({ node, raw }) => ({
        text: textWithRawAt(VALID, [...node.path, 'nested'], raw),
        path: pathText([...node.path, 'nested']),
      })),
      nested.map((raw) => ({ text: raw, path: '(root)' })),
    );

    await fc.assert(
      fc.asyncProperty(placed, async ({ text, path }) => {
        // Act
        const answer = await submit(text);

        // Assess
        expectRefused(answer, { status: 400, path });
      }),
      { numRuns: NUMBER_OF_RUNS.heavy },
    );
  });

  it.each([
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['100,000 unclosed arrays', '['.repeat(100_000)],
    ['30,000 nested objects', `${'{"a":'.repeat(30_000)}1${'}'.repeat(30_000)}`],
  ])('answers a body of %s (up to the size limit) with a 400', async (_label, text) => {
    // Act
    const answer = await submit(text);

    // Assess
    expectRefused(answer, { status: 400, path: '(root)' });
  });

  it('refuses strings over their limits with a 400 naming the field, or a 413 over the body limit', async () => {
    // Each string field with a filler that keeps it well-formed but too long (n characters in all).
    const name = (key: string) => ['subject', 'name', key];
    const fields: { path: Path; limit: number; make: (n: number) => string }[] = [
      { path: name('last'), limit: BOOKING_LIMITS.maxNameChars, make: (n) => MARK + 'A'.repeat(n - MARK.length) },
      { path: name('first'), limit: BOOKING_LIMITS.maxNameChars, make: (n) => MARK + 'B'.repeat(n - MARK.length) },
      { path: name('middle'), limit: BOOKING_LIMITS.maxNameChars, make: (n) => MARK + 'C'.repeat(n - MARK.length) },
      {
        path: ['charges', 0, 'statute'],
        limit: BOOKING_LIMITS.maxStatuteChars,
        make: (n) => MARK + '1'.repeat(n - MARK.length),
      },
      {
        path: ['charges', 0, 'literal'],
        limit: BOOKING_LIMITS.maxChargeLiteralChars,
        make: (n) => MARK + 'X'.repeat(n - MARK.length),
      },
      { path: ['submissionId'], limit: BOOKING_LIMITS.maxSubmissionIdChars, make: (n) => 'a'.repeat(n) },
      { path: ['bookingNumber'], limit: BOOKING_LIMITS.maxBookingNumberChars, make: (n) => 'B'.repeat(n) },
      { path: ['ori'], limit: 9, make: (n) => 'CA'.padEnd(n, '0') },
      { path: ['subject', 'dateOfBirth'], limit: 10, make: (n) => '1969-09-13'.padEnd(n, '3') },
      { path: ['charges', 0, 'ncicCode'], limit: 4, make: (n) => '5499'.padEnd(n, '9') },
      // Fractions of a second: the ISO 8601 pattern alone allows any number of digits.
      {
        path: ['bookedAt'],
        limit: BOOKING_LIMITS.maxDateTimeChars,
        make: (n) => `2011-05-02T08:00:00.${'1'.repeat(Math.max(1, n - 21))}Z`,
      },
    ];
    const tooLong = fc.record({
      field: fc.constantFrom(...fields),
      over: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1000, max: 250_000 })),
    });

    await fc.assert(
      fc.asyncProperty(tooLong, async ({ field, over }) => {
        // Prepare
        const value = field.make(field.limit + over);
        const text = JSON.stringify(withValueAt(VALID, field.path, value));

        // Act
        const answer = await submit(text);

        // Assess
        expectRefused(answer, { status: statusForSize(text), path: pathText(field.path) });
      }),
      { numRuns: NUMBER_OF_RUNS.heavy },
    );
  });

  it('refuses an ISO record over its size limit on the data field', async () => {
    // Prepare: base64 of zero bytes, 4 characters over the limit
    const data = 'A'.repeat(ISO_MAX_BASE64_CHARS + 4);
    const text = JSON.stringify(withValueAt(VALID, ['fingers', 0, 'template'], { format: 'iso-19794-2', data }));

    // Act
    const answer = await submit(text);

    // Assess
    expectRefused(answer, { status: 400, path: 'fingers.0.template.data' });
  });

  it.each<[string, number, 400 | 413]>([
    ['at the limit', 0, 400],
    ['one byte over the limit', 1, 413],
    ['far over the limit', 5_000_000, 413],
  ])('answers a body %s by its size', async (_label, extra, status) => {
    // Prepare: a name padded so that the body is maxBodyBytes + extra bytes
    const shell = JSON.stringify(withValueAt(VALID, ['subject', 'name', 'last'], ''));
    const padding = 'Z'.repeat(API_LIMITS.maxBodyBytes + extra - Buffer.byteLength(shell));
    const text = JSON.stringify(
      withValueAt(VALID, ['subject', 'name', 'last'], `${MARK}${padding.slice(MARK.length)}`),
    );

    // Act
    const plain = await submit(text);
    const encoded = await submit(text, { base64: true });

    // Assess
    expect(Buffer.byteLength(text)).toBe(API_LIMITS.maxBodyBytes + extra);
    expectRefused(plain, { status, path: 'subject.name.last' });
    expectRefused(encoded, { status, path: 'subject.name.last' });
  });

  it('accepts the largest booking the limits allow, as compact JSON, and its message fits SQS', async () => {
    // Prepare: every array and string at its limit, every number at its longest
    const largest = structuredClone(VALID);
    const minutia = { x: 1999, y: 1999, angle: 359.99999999999994, type: 'bifurcation', quality: 100 };
    largest.fingers = Array.from({ length: BOOKING_LIMITS.maxFingers }, (_, k) => ({
      position: k + 1,
      status: 'captured',
      impressionType: 'rolled',
      template: {
        width: TEMPLATE_LIMITS.maxImagePx,
        height: TEMPLATE_LIMITS.maxImagePx,
        resolutionPpi: TEMPLATE_LIMITS.maxResolutionPpi,
        minutiae: Array.from({ length: TEMPLATE_LIMITS.maxMinutiae }, () => minutia),
      },
    }));
    largest.charges = Array.from({ length: BOOKING_LIMITS.maxCharges }, () => ({
      ...((VALID.charges as Json[])[0] as JsonObject),
      statute: 'S'.repeat(BOOKING_LIMITS.maxStatuteChars),
      literal: 'L'.repeat(BOOKING_LIMITS.maxChargeLiteralChars),
    }));
    const name = 'N'.repeat(BOOKING_LIMITS.maxNameChars);
    (largest.subject as JsonObject).name = { last: name, first: name, middle: name };

    // Act
    const answer = await submitJson(largest);

    // Assess: the SQS fake refuses a message over 256 KiB
    expect(Buffer.byteLength(JSON.stringify(largest))).toBeLessThan(API_LIMITS.maxBodyBytes);
    expect(answer.status).toBe(202);
    expect(answer.queueSends).toBe(1);
  });

  it('accepts or cleanly refuses unicode, control characters and lone surrogates in text; refuses them elsewhere', async () => {
    const freeText: Path[] = [
      ['subject', 'name', 'last'],
      ['subject', 'name', 'first'],
      ['subject', 'name', 'middle'],
      ['charges', 0, 'statute'],
      ['charges', 0, 'literal'],
    ];
    const constrained: Path[] = [
      ['submissionId'],
      ['ori'],
      ['bookingNumber'],
      ['bookedAt'],
      ['subject', 'dateOfBirth'],
      ['subject', 'sex'],
      ['subject', 'placeOfBirth'],
      ['subject', 'claimedCitizenship'],
      ['charges', 0, 'ncicCode'],
      ['charges', 0, 'grade'],
      ['charges', 0, 'disposition'],
      ['fingers', 0, 'status'],
      ['fingers', 0, 'impressionType'],
      ['fingers', 0, 'template', 'minutiae', 0, 'type'],
    ];
    const placed = fc.oneof(
      fc.record({ path: fc.constantFrom(...freeText), text: hostileText, mayBeValid: fc.constant(true) }),
      fc.record({ path: fc.constantFrom(...constrained), text: hostileText, mayBeValid: fc.constant(false) }),
    );

    await fc.assert(
      fc.asyncProperty(placed, async ({ path, text, mayBeValid }) => {
        // Act
        const answer = await submitJson(withValueAt(VALID, path, text));

        // Assess
        if (mayBeValid) expectAcceptedOrRefused(answer, pathText(path));
        else expectRefused(answer, { status: 400, path: pathText(path) });
      }),
      { numRuns: NUMBER_OF_RUNS.cheap },
    );
  });

  it('refuses an unknown key of any text, naming it only when it is a plain identifier', async () => {
    const unknownKey = fc.record({
      node: nodeFrom(OBJECT_NODES),
      key: fc.oneof(
        hostileText,
        fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
        fc.constant(MARK.repeat(9)),
      ),
    });

    await fc.assert(
      fc.asyncProperty(unknownKey, async ({ node, key }) => {
        // Prepare
        const parent = node.value as JsonObject;
        // An unknown key: not one the object has, nor the optional middle name it lacks.
        fc.pre(!Object.hasOwn(parent, key) && key !== 'middle');
        const text = JSON.stringify(withValueAt(VALID, [...node.path, key], 1));

        // Act
        const answer = await submit(text);

        // Assess
        expectRefused(answer, { status: 400 });
        const paths = (answer.body.errors ?? []).map((e) => e.path);
        const shown = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/.test(key) && !key.includes(MARK);
        expect(paths).toContain(pathText([...node.path, shown ? key : HIDDEN_KEY]));
      }),
      { numRuns: NUMBER_OF_RUNS.cheap },
    );
  });

  it('refuses __proto__, constructor and prototype keys anywhere, naming them, and pollutes nothing', async () => {
    const before = prototypeFingerprint();
    const protoKey = fc.record({
      node: nodeFrom(OBJECT_NODES),
      key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
      value: fc.oneof(
        fc.constantFrom<Json>({ polluted: MARK }, { toString: MARK }, { isAdmin: true }, null, MARK),
        fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      ),
    });

    await fc.assert(
      fc.asyncProperty(protoKey, async ({ node, key, value }) => {
        // Act
        const answer = await submitJson(withValueAt(VALID, [...node.path, key], value));

        // Assess
        expectRefused(answer, { status: 400 });
        expect((answer.body.errors ?? []).map((e) => e.path)).toContain(pathText([...node.path, key]));
        expect(samePrototype(before)).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: NUMBER_OF_RUNS.cheap },
    );
  });

  it('refuses malformed ISO/IEC 19794-2 records on the data field', async () => {
    const FMR = [0x46, 0x4d, 0x52, 0x00];
    const VERSION = [0x20, 0x32, 0x30, 0x00];
    const isoCase = finger.chain((k) => {
      const record = RECORDS[k] as Uint8Array;
      const bytes = fc.uint8Array({ minLength: 1, maxLength: 64 });
      const surely = (data: fc.Arbitrary<string>) => data.map((d) => ({ k, data: d, surelyInvalid: true }));
      const maybe = (data: fc.Arbitrary<string>) => data.map((d) => ({ k, data: d, surelyInvalid: false }));
      return fc.oneof(
        // random bytes (none at all too)
        surely(fc.uint8Array({ maxLength: 600 }).map(base64)),
        // a valid record cut short
        surely(fc.integer({ min: 0, max: record.length - 1 }).map((n) => base64(record.subarray(0, n)))),
        // wrong magic
        surely(
          fc
            .uint8Array({ minLength: 4, maxLength: 4 })
            .filter((magic) => magic.some((b, i) => b !== FMR[i]))
            .map((magic) => base64(patched(record, 0, [...magic]))),
        ),
        // wrong version
        surely(
          fc
            .uint8Array({ minLength: 4, maxLength: 4 })
            .filter((version) => version.some((b, i) => b !== VERSION[i]))
            .map((version) => base64(patched(record, 4, [...version]))),
        ),
        // bytes after the declared length
        surely(bytes.map((extra) => base64(Uint8Array.from([...record, ...extra])))),
        // not strict base64: one character inserted
        surely(
          fc
            .record({
              at: fc.integer({ min: 0, max: 100 }),
              char: fc.constantFrom('-', '_', ' ', '\n', '!', 'é', '=', '.'),
            })
            .map(({ at, char }) => {
              const text = base64(record);
              return `${text.slice(0, at)}${char}${text.slice(at)}`;
            }),
        ),
        // one byte changed: may still be a valid record
        maybe(
          fc
            .record({ at: fc.integer({ min: 0, max: record.length - 1 }), value: fc.integer({ min: 0, max: 255 }) })
            .map(({ at, value }) => base64(patched(record, at, [value]))),
        ),
        // a right magic, version and length, then random header fields and views
        maybe(
          fc.uint8Array({ minLength: 16, maxLength: 400 }).map((tail) => {
            const length = 12 + tail.length;
            return base64(
              Uint8Array.from([
                ...FMR,
                ...VERSION,
                length >>> 24,
                (length >>> 16) & 255,
                (length >>> 8) & 255,
                length & 255,
                ...tail,
              ]),
            );
          }),
        ),
      );
    });

    await fc.assert(
      fc.asyncProperty(isoCase, async ({ k, data, surelyInvalid }) => {
        // Act
        const answer = await submitJson(
          withValueAt(VALID, ['fingers', k, 'template'], { format: 'iso-19794-2', data }),
        );

        // Assess
        const path = `fingers.${k}.template.data`;
        if (surelyInvalid) expectRefused(answer, { status: 400, path });
        else expectAcceptedOrRefused(answer, path);
      }),
      { numRuns: NUMBER_OF_RUNS.cheap },
    );
  });

  it('names the minutia field out of range, in a JSON template or an ISO record', async () => {
    const beyond = (size: number) =>
      fc.oneof(
        fc.integer({ min: size, max: 2 ** 31 }),
        fc.integer({ min: -(2 ** 31), max: -1 }),
        fc.integer({ min: 0, max: size - 2 }).map((n) => n + 0.5),
      );
    const jsonCase = fingerAndMinutia.chain(({ k, i }) => {
      const template = templateOf(VALID, k);
      const at = (field: string) => ['fingers', k, 'template', 'minutiae', i, field] as Path;
      const onTemplate = (field: string) => ['fingers', k, 'template', field] as Path;
      return fc.oneof(
        beyond(Number(template.width)).map((value) => ({ path: at('x'), value })),
        beyond(Number(template.height)).map((value) => ({ path: at('y'), value })),
        fc
          .oneof(
            fc.double({ min: 360, max: 1e12, noNaN: true }),
            fc.double({ min: -1e12, max: -Number.MIN_VALUE, noNaN: true }),
          )
          .map((value) => ({ path: at('angle'), value })),
        fc
          .oneof(fc.integer({ min: 101, max: 2 ** 31 }), fc.integer({ min: -(2 ** 31), max: -1 }), fc.constant(50.5))
          .map((value) => ({ path: at('quality'), value })),
        fc
          .oneof(
            fc.integer({ min: TEMPLATE_LIMITS.maxImagePx + 1, max: 2 ** 31 }),
            fc.integer({ min: -(2 ** 31), max: 0 }),
          )
          .chain((value) => fc.constantFrom('width', 'height').map((field) => ({ path: onTemplate(field), value }))),
        fc
          .oneof(
            fc.integer({ min: 0, max: TEMPLATE_LIMITS.minResolutionPpi - 1 }),
            fc.integer({ min: TEMPLATE_LIMITS.maxResolutionPpi + 1, max: 2 ** 31 }),
          )
          .map((value) => ({ path: onTemplate('resolutionPpi'), value })),
      );
    });
    const isoCase = fingerAndMinutia.chain(({ k, i }) => {
      const record = RECORDS[k] as Uint8Array;
      const template = templateOf(VALID, k);
      // Minutia i of the record (24-byte header, 4-byte view header, 6 bytes a minutia): x beyond the
      // width, y beyond the height, quality over 100, or the reserved type code 11.
      const at = 24 + 4 + 6 * i;
      const typeBits = (record[at] ?? 0) & 0xc0;
      return fc
        .oneof(
          fc.integer({ min: Number(template.width), max: 0x3fff }).map((x) => [at, typeBits | (x >> 8), x & 255]),
          fc.integer({ min: Number(template.height), max: 0x3fff }).map((y) => [at + 2, y >> 8, y & 255]),
          fc.integer({ min: 101, max: 255 }).map((quality) => [at + 5, quality]),
          fc.constant([at, 0xc0 | ((record[at] ?? 0) & 0x3f)]),
        )
        .map(([offset, ...values]) => ({
          path: ['fingers', k, 'template', 'data'] as Path,
          template: { format: 'iso-19794-2', data: base64(patched(record, offset as number, values)) } as Json,
          k,
        }));
    });

    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          jsonCase.map(({ path, value }) => ({ path, booking: withValueAt(VALID, path, value) })),
          isoCase.map(({ path, template, k }) => ({
            path,
            booking: withValueAt(VALID, ['fingers', k, 'template'], template),
          })),
        ),
        async ({ path, booking }) => {
          // Act
          const answer = await submitJson(booking);

          // Assess
          expectRefused(answer, { status: 400, path: pathText(path) });
        },
      ),
      { numRuns: NUMBER_OF_RUNS.cheap },
    );
  });
});

/** Every own property of Object.prototype with its value (or getter), to tell whether anything changed. */
function prototypeFingerprint(): [string, unknown][] {
  return Object.getOwnPropertyNames(Object.prototype).map((name) => {
    const descriptor = Object.getOwnPropertyDescriptor(Object.prototype, name);
    return [name, descriptor?.value ?? descriptor?.get];
  });
}

function samePrototype(before: [string, unknown][]): boolean {
  const now = prototypeFingerprint();
  return (
    now.length === before.length &&
    now.every(([name, value], i) => name === before[i]?.[0] && Object.is(value, before[i]?.[1]))
  );
}

/** Regressions: the bugs the properties above found, each as a plain example. */
describe('POST /bookings: regressions found by the hostile properties', () => {
  // Huge strings: the ISO 8601 pattern allows any number of fraction digits, so a 150,000-character
  // bookedAt was accepted and enqueued.
  it('refuses a bookedAt with 150,000 fraction digits', async () => {
    // Prepare
    const bookedAt = `2011-05-02T08:00:00.${'1'.repeat(150_000)}Z`;

    // Act
    const answer = await submitJson(withValueAt(VALID, ['bookedAt'], bookedAt));

    // Assess
    expectRefused(answer, { status: 400, path: 'bookedAt' });
  });

  // Unicode: U+FFFE and U+FFFF passed validation, then SQS refused the message (InvalidMessageContents)
  // after the submission was registered: a 500, and the same on every retry.
  it.each([
    ['U+FFFF', '\uffff'],
    ['U+FFFE', '\ufffe'],
    ['NUL', '\u0000'],
    ['an escape character', '\u001b'],
    ['a lone surrogate', '\ud800'],
  ])('refuses %s in a name with a 400 on the field, before registering anything', async (_label, char) => {
    // Act
    const answer = await submitJson(withValueAt(VALID, ['subject', 'name', 'last'], `PE${char}REZ${MARK}`));

    // Assess
    expectRefused(answer, { status: 400, path: 'subject.name.last' });
  });

  it.each([
    ['accented letters', 'PÉREZ NÚÑEZ'],
    ['an apostrophe and a hyphen', "O'BRIEN-SMITH"],
    ['a combining accent', 'PE\u0301REZ'],
    ['CJK', '\u738b'],
  ])('still accepts a name with %s', async (_label, last) => {
    // Act
    const answer = await submitJson(withValueAt(VALID, ['subject', 'name', 'last'], last));

    // Assess
    expect(answer.status).toBe(202);
    expect(answer.queueSends).toBe(1);
  });

  // Prototype keys and deep nesting: an unknown key's error had the object's path, not the key's, and
  // its message echoed the key whatever its length or characters.
  it.each([
    ['__proto__ at the root', [] as Path, '__proto__', '__proto__'],
    ['constructor in the name', ['subject', 'name'], 'constructor', 'subject.name.constructor'],
    [
      'prototype in a minutia',
      ['fingers', 2, 'template', 'minutiae', 1],
      'prototype',
      'fingers.2.template.minutiae.1.prototype',
    ],
    ['a 300-character key', ['subject'], MARK.repeat(30), `subject.${HIDDEN_KEY}`],
    ['a key with a newline', ['charges', 0], `note\n${MARK}`, `charges.0.${HIDDEN_KEY}`],
  ])('names an unknown key in the path: %s', async (_label, parent, key, path) => {
    // Act
    const answer = await submitJson(withValueAt(VALID, [...parent, key], { polluted: true }));

    // Assess
    expectRefused(answer, { status: 400 });
    expect(answer.body.errors).toEqual([{ path, message: expect.stringContaining('not a field') }]);
  });

  // Huge arrays within the limits: every minutia an empty object gave 10,000 errors, a 1.1 MB answer
  // for a 30 KB body (and as large a log line).
  it('lists a bounded number of errors for a booking wrong everywhere within the limits', async () => {
    // Prepare: every minutia of every finger an empty object, 5 errors each
    const everyMinutiaEmpty = structuredClone(VALID);
    fingersOf(everyMinutiaEmpty).forEach((_, k) => {
      templateOf(everyMinutiaEmpty, k).minutiae = Array.from({ length: TEMPLATE_LIMITS.maxMinutiae }, () => ({}));
    });

    // Act
    const answer = await submitJson(everyMinutiaEmpty);

    // Assess
    expectRefused(answer, { status: 400, path: 'fingers.0.template.minutiae.0.x' });
    expect(answer.body.errors).toHaveLength(API_LIMITS.maxFieldErrors);
    expect(answer.body.message).toContain(`${BOOKING_LIMITS.maxFingers * TEMPLATE_LIMITS.maxMinutiae * 5}`);
  });
});
