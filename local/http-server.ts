import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext, type InvocationListener } from './lambda-context';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Route {
  method: 'GET' | 'POST';
  /** API Gateway route path, e.g. `/bookings/{submissionId}`. */
  path: string;
  functionName: string;
  handler: HttpHandler;
}

/** API Gateway HTTP API's own payload limit; the handler enforces the pipeline's smaller one. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

function matchRoute(routes: Route[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const found = new RegExp(`^${pattern}$`).exec(path);
    if (found) {
      const pathParameters = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]));
      return { route, pathParameters };
    }
  }
  return undefined;
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= GATEWAY_MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > GATEWAY_MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The API Gateway HTTP API (payload v2) event for a local request. */
function toEvent(
  request: IncomingMessage,
  url: URL,
  route: Route,
  pathParameters: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]),
  );
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body.toString('utf8'),
    isBase64Encoded: false,
  };
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string> | undefined);
  response.end(result.body ?? '');
}

/**
 * Serves the API routes on localhost by handing each request to its Lambda handler as API Gateway
 * would. No SigV4 check: locally the caller is trusted (the stack puts IAM auth on every route).
 */
export async function startHttpServer(
  routes: Route[],
  port = 0,
  options: { onInvocation?: InvocationListener } = {},
): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
      const found = matchRoute(routes, request.method ?? 'GET', url.pathname);
      if (!found) {
        send(response, {
          statusCode: 404,
          headers: { 'content-type': 'application/json' },
          body: '{"message":"Not Found"}',
        });
        return;
      }
      const body = await readBody(request);
      if (body === 'too-large') {
        send(response, {
          statusCode: 413,
          headers: { 'content-type': 'application/json' },
          body: '{"message":"Request Entity Too Large"}',
        });
        return;
      }
      const event = toEvent(request, url, found.route, found.pathParameters, body);
      const started = performance.now();
      let result: APIGatewayProxyStructuredResultV2;
      try {
        result = await found.route.handler(event, lambdaContext(found.route.functionName, 30));
      } finally {
        options.onInvocation?.({
          functionName: found.route.functionName,
          records: 1,
          durationMs: performance.now() - started,
        });
      }
      send(response, result);
    })().catch(() => {
      // API Gateway answers an unhandled function error with a bare 500, revealing nothing.
      if (!response.headersSent) {
        send(response, {
          statusCode: 500,
          headers: { 'content-type': 'application/json' },
          body: '{"message":"Internal Server Error"}',
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    server,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
