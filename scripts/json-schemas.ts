import * as z from '#core/zod';
import { BookingSubmissionSchema } from '#core/schemas/booking';
import { DecisionCaseSchema } from '#core/schemas/decision-case';
import { OutcomeRecordSchema } from '#core/schemas/records';

/**
 * JSON Schemas (draft 2020-12) of the shapes users write or read, generated from the zod schemas
 * that validate them, by file name under docs/schemas/. Input shapes describe what is accepted
 * (`io: 'input'`); the record describes what is produced.
 */
export function jsonSchemas(): Record<string, object> {
  const titled = (title: string, schema: object) => ({ title, ...schema });
  return {
    'decision-case.schema.json': titled(
      'sc-pipeline decision case (sc-pipeline decide CASE.json)',
      z.toJSONSchema(DecisionCaseSchema, { io: 'input', unrepresentable: 'any' }),
    ),
    'booking-submission.schema.json': titled(
      'sc-pipeline booking submission (POST /bookings)',
      z.toJSONSchema(BookingSubmissionSchema, { io: 'input', unrepresentable: 'any' }),
    ),
    'outcome-record.schema.json': titled(
      'sc-pipeline outcome record',
      z.toJSONSchema(OutcomeRecordSchema, { io: 'output', unrepresentable: 'any' }),
    ),
  };
}
