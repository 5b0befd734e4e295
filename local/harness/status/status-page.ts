import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { EnvironmentPool } from '#local/environments/environment-pool';
import type { Route } from '#local/http-server';
import type { LocalResources } from '#local/provision';
import { environmentStatus, pipelineStatus } from './status-data';

/** How often the page asks for fresh figures. */
export const REFRESH_MS = 2_000;

/**
 * The local status page: records by type, queue and DLQ depths, the search latency histogram,
 * refreshed every REFRESH_MS from /status.json. One self-contained HTML document (no CDN, no build
 * step); the figures are counts and latencies, never a booking's content.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sc-pipeline: local status</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1f24; background: #f6f8fa; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .muted { color: #57606a; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; margin-top: 16px; }
  section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { padding: 3px 6px; text-align: left; border-bottom: 1px solid #eaeef2; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .bar { height: 14px; background: #0969da; border-radius: 2px; min-width: 1px; }
  .dlq.bad { color: #cf222e; font-weight: 600; }
  section.wide { grid-column: 1 / -1; }
</style>
</head>
<body>
<h1>sc-pipeline: local status</h1>
<div class="muted">Updated <span id="updated">never</span>, every ${REFRESH_MS / 1000} s.
  The same picture as the CloudWatch dashboard, read from DynamoDB Local and fauxqs.</div>
<div class="grid">
  <section><h2>Records by type (<span data-testid="records-total">0</span>)</h2>
    <table data-testid="records"><tbody></tbody></table></section>
  <section><h2>Queues</h2>
    <table data-testid="queues"><thead><tr><th>queue</th><th>waiting</th><th>in flight</th></tr></thead><tbody></tbody></table></section>
  <section><h2>Search latency (<span data-testid="searches">0</span> searches;
    p50 <span data-testid="p50">-</span> ms, p99 <span data-testid="p99">-</span> ms)</h2>
    <table data-testid="latency"><tbody></tbody></table></section>
  <section class="wide"><h2>Execution environments (worker threads; a cold start is one new environment, as Lambda's Init Duration)</h2>
    <table data-testid="environments"><thead><tr><th>function</th><th>live</th><th>busy</th><th>cold starts</th>
      <th>init p50 ms</th><th>init max ms</th><th>invocations</th></tr></thead><tbody></tbody></table></section>
</div>
<script>
  const rows = (table, cells) => {
    const body = document.querySelector('[data-testid="' + table + '"] tbody');
    body.replaceChildren(...cells.map((values) => {
      const tr = document.createElement('tr');
      for (const value of values) {
        const td = document.createElement('td');
        if (value instanceof Node) td.append(value); else { td.textContent = String(value); if (typeof value === 'number') td.className = 'n'; }
        tr.append(td);
      }
      return tr;
    }));
  };
  const bar = (count, max) => {
    const div = document.createElement('div');
    div.className = 'bar';
    div.style.width = (max === 0 ? 0 : Math.round((200 * count) / max)) + 'px';
    return div;
  };
  const text = (id, value) => { document.querySelector('[data-testid="' + id + '"]').textContent = String(value); };
  async function refresh() {
    try {
      const status = await (await fetch('/status.json', { cache: 'no-store' })).json();
      text('records-total', status.records);
      const most = Math.max(0, ...Object.values(status.recordsByType));
      rows('records', Object.entries(status.recordsByType).map(([type, n]) => [type, n, bar(n, most)]));
      rows('queues', status.queues.map((q) => [q.name, q.waiting, q.inFlight]));
      for (const tr of document.querySelectorAll('[data-testid="queues"] tbody tr')) {
        const [name, waiting] = tr.children;
        if (name.textContent.includes('DLQ')) { name.className = 'dlq' + (waiting.textContent !== '0' ? ' bad' : ''); }
      }
      text('searches', status.searches);
      text('p50', status.searchLatencyP50Ms === null ? '-' : Math.round(status.searchLatencyP50Ms));
      text('p99', status.searchLatencyP99Ms === null ? '-' : Math.round(status.searchLatencyP99Ms));
      const top = Math.max(0, ...status.searchLatency.map((b) => b.count));
      let low = 0;
      rows('latency', status.searchLatency.map((b) => {
        const label = b.le === null ? '> ' + low + ' ms' : low + '-' + b.le + ' ms';
        low = b.le ?? low;
        return [label, b.count, bar(b.count, top)];
      }));
      const ms = (value) => (value === null ? '-' : Math.round(value));
      rows('environments', status.environments.map((e) =>
        [e.functionName, e.live, e.busy, e.coldStarts, ms(e.initP50Ms), ms(e.initMaxMs), e.invocations]));
      document.getElementById('updated').textContent = new Date(status.at).toLocaleTimeString();
    } catch (error) {
      document.getElementById('updated').textContent = 'failed (' + error + ')';
    }
  }
  refresh();
  setInterval(refresh, ${REFRESH_MS});
</script>
</body>
</html>
`;

function answer(statusCode: number, contentType: string, body: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
}

/** Code on the API's own thread, for the local pages (no function of the stack stands behind them). */
function localPage(run: () => Promise<APIGatewayProxyStructuredResultV2>): Route['environments'] {
  return {
    functionName: 'local-status',
    invoke: async () => {
      const started = performance.now();
      const result = await run();
      return { result, durationMs: performance.now() - started };
    },
  };
}

/** GET /status (the page) and GET /status.json (its figures), as routes of the local API server. */
export function statusRoutes(
  clients: { dynamodb: DynamoDBClient; sqs: SQSClient },
  resources: LocalResources,
  environments: Record<string, EnvironmentPool>,
): Route[] {
  return [
    {
      method: 'GET',
      path: '/status',
      environments: localPage(() => Promise.resolve(answer(200, 'text/html; charset=utf-8', PAGE))),
    },
    {
      method: 'GET',
      path: '/status.json',
      environments: localPage(async () => {
        const status = { ...(await pipelineStatus(clients, resources)), environments: environmentStatus(environments) };
        return answer(200, 'application/json', JSON.stringify(status));
      }),
    },
  ];
}
