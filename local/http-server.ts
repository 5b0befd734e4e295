import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { InvocationListener } from './lambda-context';
import type { Invoker } from './environments/environment-pool';

export interface Route {
  method: 'GET' | 'POST';
  /** API Gateway route path, e.g. `/bookings/{submissionId}`. */
  path: string;
  /** The function behind the route: its execution environments (or, for local pages, code on this thread). */
  environments: Invoker;
}

/**
 * Idle keep-alive connections are kept this long, ms. It must outlast any client's own idle
 * timeout (undici's fetch keeps an idle socket 4 s, the SDK's agents longer): a server that closes
 * an idle socket first races the client's next request on it, which then fails with ECONNRESET.
 * API Gateway keeps idle connections far longer than clients do, for the same reason.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

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
      const { result, durationMs } = await found.route.environments.invoke(event);
      options.onInvocation?.({ functionName: found.route.environments.functionName, records: 1, durationMs });
      send(response, result as APIGatewayProxyStructuredResultV2);
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
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node requires the headers timeout above the keep-alive timeout, or it cuts idle sockets early.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', 511, resolve));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() for the whole keep-alive timeout.
        server.closeIdleConnections();
      }),
  };
}
