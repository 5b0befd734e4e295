import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { core } from '#core/zod';
import { API_LIMITS } from '#functions/definitions';

export interface FieldError {
  /** Dotted path of the wrong field, e.g. `fingers.0.template.minutiae.3.x`; `(root)` for the body. */
  path: string;
  message: string;
}

/** An unknown key is named in its error's path only if it looks like a field name: no echo of odd or long keys. */
const SHOWN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/;
/** Stands for an unknown key that is not {@link SHOWN_KEY}-like (too long, or other characters). */
export const HIDDEN_KEY = '(key not shown)';
const UNKNOWN_KEY_MESSAGE = 'is not a field of this object (unknown fields are refused)';

export function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

const pathText = (path: readonly PropertyKey[]) => (path.length > 0 ? path.map(String).join('.') : '(root)');

/**
 * Every wrong field with its path. Zod's messages name what was expected, not the value received,
 * so no submitted (possibly personal) data is echoed back or logged. An unknown key (`__proto__`,
 * a typo) is an error of its own whose path ends with the key, e.g. `subject.name.__proto__`; a key
 * that does not look like a field name (over 64 characters, or characters other than letters,
 * digits, "_", "$" and "-") is shown as {@link HIDDEN_KEY}.
 */
export function fieldErrors(error: core.$ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: pathText([...issue.path, SHOWN_KEY.test(key) ? key : HIDDEN_KEY]),
          message: UNKNOWN_KEY_MESSAGE,
        }))
      : [{ path: pathText(issue.path), message: issue.message }],
  );
}

/**
 * A 400 listing the wrong fields, at most API_LIMITS.maxFieldErrors of them (the message gives the
 * total), so that a small body wrong everywhere cannot make a large answer.
 */
export function badRequest(message: string, errors: FieldError[] = []): APIGatewayProxyStructuredResultV2 {
  const listed = errors.slice(0, API_LIMITS.maxFieldErrors);
  const total =
    listed.length < errors.length ? ` (${errors.length} errors; the first ${listed.length} are listed)` : '';
  return json(400, { error: 'bad-request', message: `${message}${total}`, errors: listed });
}

/** The body as text, decoding API Gateway's base64 form; its size in bytes as received. */
export function bodyText(event: APIGatewayProxyEventV2): { text: string; bytes: number } {
  const raw = event.body ?? '';
  const buffer = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  return { text: buffer.toString('utf8'), bytes: buffer.byteLength };
}
