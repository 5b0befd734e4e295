import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ZodError } from 'zod';

export interface FieldError {
  /** Dotted path of the wrong field, e.g. `fingers.0.template.minutiae.3.x`; `(root)` for the body. */
  path: string;
  message: string;
}

/** Stands for an unknown key too long or too odd to be shown in a path. */
export const HIDDEN_KEY = '(key not shown)';

export function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/**
 * Every wrong field with its path. Zod's messages name what was expected, not the value received,
 * so no submitted (possibly personal) data is echoed back or logged.
 */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

export function badRequest(message: string, errors: FieldError[] = []): APIGatewayProxyStructuredResultV2 {
  return json(400, { error: 'bad-request', message, errors });
}

/** The body as text, decoding API Gateway's base64 form; its size in bytes as received. */
export function bodyText(event: APIGatewayProxyEventV2): { text: string; bytes: number } {
  const raw = event.body ?? '';
  const buffer = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  return { text: buffer.toString('utf8'), bytes: buffer.byteLength };
}
