import { describe, expect, it } from 'vitest';
import { BookingSubmissionSchema } from '#core/schemas';
import { bodyText, fieldErrors } from '#runtime/http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

describe('http helpers', () => {
  it('lists every wrong field by path without echoing submitted values', () => {
    // Prepare
    const secret = 'Zyxwvutsrq';
    const parsed = BookingSubmissionSchema.safeParse({ submissionId: secret, ori: secret, charges: [] });

    // Act
    const errors = parsed.success ? [] : fieldErrors(parsed.error);

    // Assess
    expect(errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['ori', 'bookingNumber', 'bookedAt', 'subject', 'charges', 'fingers']),
    );
    expect(JSON.stringify(errors)).not.toContain(secret);
  });

  it.each([
    ['plain', false, 'héllo', 6],
    ['base64', true, Buffer.from('héllo').toString('base64'), 6],
  ])('reads a %s body and counts its bytes', (_label, isBase64Encoded, body, bytes) => {
    // Prepare
    const event = { body, isBase64Encoded } as APIGatewayProxyEventV2;

    // Act
    const read = bodyText(event);

    // Assess
    expect(read).toEqual({ text: 'héllo', bytes });
  });
});
