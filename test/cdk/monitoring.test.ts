import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecordTypeSchema } from '#core/schemas/records';
import { SERVICE_NAMES } from '#lib/stateless-stack';
import { RUNBOOKS } from '#lib/constructs/monitoring';
import {
  importedLogicalId,
  properties,
  resources,
  synthesizePipeline,
  type SynthesizedPipeline,
} from './pipeline-fixture';

type Json = Record<string, unknown>;

type WidgetMetric = [string, string, ...unknown[]];
interface Widget {
  properties?: { metrics?: WidgetMetric[] };
}

/** The dashboard's widgets: the body's Fn::Join with every token (a function name, a queue) as "TOKEN". */
function dashboardWidgets(body: unknown): Widget[] {
  const parts = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
}

/** `namespace/name dim=value ... stat=...` (CloudWatch's default statistic is Average). */
function describeMetric(metric: WidgetMetric): string {
  const [namespace, name, ...rest] = metric;
  const last = rest[rest.length - 1];
  const options = typeof last === 'object' && last !== null ? (last as { stat?: string }) : {};
  const dimensions = (typeof last === 'object' ? rest.slice(0, -1) : rest) as string[];
  const pairs = [];
  for (let i = 0; i < dimensions.length; i += 2) pairs.push(`${dimensions[i]}=${dimensions[i + 1]}`);
  return [`${namespace}/${name}`, ...pairs, `stat=${options.stat ?? 'Average'}`].join(' ');
}

describe('Monitoring', () => {
  let synthesized: SynthesizedPipeline;

  beforeAll(() => {
    // Prepare + Act (one synth per file)
    synthesized = synthesizePipeline({ stateless: { alarmEmail: 'oncall@example.org' } });
  });

  function alarmsOn(metricName: string): Json[] {
    return resources(synthesized.stateless, 'AWS::CloudWatch::Alarm')
      .map(([, alarm]) => properties(alarm))
      .filter((alarm) => alarm.MetricName === metricName);
  }

  function queueOf(alarm: Json): string {
    const [dimension] = alarm.Dimensions as Array<{ Name: string; Value: unknown }>;
    expect(dimension!.Name).toBe('QueueName');
    return importedLogicalId(synthesized.stateful, dimension!.Value);
  }

  it('alarms when a DLQ holds at least one message, for both DLQs', () => {
    // Assess
    const alarms = alarmsOn('ApproximateNumberOfMessagesVisible');
    const dlqs = alarms.map(queueOf).sort();
    expect(dlqs).toEqual([
      expect.stringMatching(/^BookingsDeadLetterQueue/),
      expect.stringMatching(/^DecisionsDeadLetterQueue/),
    ]);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }],
      });
    }
  });

  it('alarms when the oldest message of a main queue is older than 300 s', () => {
    // Assess
    const alarms = alarmsOn('ApproximateAgeOfOldestMessage');
    expect(alarms.map(queueOf).sort()).toEqual([
      expect.stringMatching(/^BookingsQueue/),
      expect.stringMatching(/^DecisionsQueue/),
    ]);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({ Threshold: 300, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Maximum' });
    }
  });

  it('alarms on errors and throttles of every function', () => {
    // Assess
    for (const metricName of ['Errors', 'Throttles']) {
      const alarms = alarmsOn(metricName);
      expect(alarms).toHaveLength(4);
      for (const alarm of alarms) {
        expect(alarm).toMatchObject({
          Namespace: 'AWS/Lambda',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
    }
  });

  it('notifies a KMS-encrypted, TLS-only topic that CloudWatch may publish to, with the email subscription', () => {
    // Assess
    const { stateless } = synthesized;
    stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::ImportValue': Match.anyValue() } });
    stateless.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
    stateless.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.org' });
  });

  it('has a dashboard with queue, DLQ and function metrics and RecordsWritten by record type', () => {
    // Assess
    const [dashboard] = resources(synthesized.stateless, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(properties(dashboard![1]).DashboardBody);
    for (const metric of ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']) {
      expect(body).toContain(metric);
    }
    for (const metric of ['Invocations', 'Errors', 'Duration', 'Throttles']) expect(body).toContain(`"${metric}\\"`);
    const widgets = dashboardWidgets(properties(dashboard![1]).DashboardBody);
    const plotted = widgets.flatMap((widget) => widget.properties?.metrics ?? []).map(describeMetric);
    for (const expected of [
      'ScPipeline/SearchLatency service=match stat=p50',
      'ScPipeline/SearchLatency service=match stat=p99',
      'ScPipeline/CandidatesPerSearch service=match stat=Average',
      'ScPipeline/BookingsAccepted service=ingest stat=Sum',
      'ScPipeline/ColdStart function_name=TOKEN service=match stat=Sum',
      'ScPipeline/DeadLetters reason=retries-exhausted service=decide stat=Sum',
    ])
      expect(plotted).toContain(expected);
    for (const recordType of RecordTypeSchema.options) {
      expect(body).toContain(
        `[\\"ScPipeline\\",\\"RecordsWritten\\",\\"recordType\\",\\"${recordType}\\",\\"service\\",\\"${SERVICE_NAMES.decide}\\"`,
      );
    }
  });

  it('saves Logs Insights queries: search latency percentiles on the match logs, errors by cause and the rest on every function', () => {
    // Assess
    const { pipeline, stateless } = synthesized;
    const logGroupId = (fn: { functionLogGroup: { node: { defaultChild?: unknown } } }) =>
      pipeline.stateless.getLogicalId(fn.functionLogGroup.node.defaultChild as never);
    const queries = resources(stateless, 'AWS::Logs::QueryDefinition').map(([, query]) => properties(query));
    const byName = new Map(queries.map((query) => [query.Name as string, query]));
    const functions = [
      pipeline.stateless.ingestFunction,
      pipeline.stateless.getBookingFunction,
      pipeline.stateless.matchFunction,
      pipeline.stateless.decideFunction,
    ];
    const refs = (query: Record<string, unknown> | undefined) =>
      (query?.LogGroupNames as Array<{ Ref: string }>).map((ref) => ref.Ref).sort();

    const latency = byName.get('sc-pipeline/search-latency-percentiles');
    expect(latency?.QueryString).toMatch(/filter message = "Search done"/);
    expect(latency?.QueryString).toMatch(/pct\(latencyMs, 50\).*pct\(latencyMs, 99\)/);
    expect(refs(latency)).toEqual([logGroupId(pipeline.stateless.matchFunction)]);

    const errors = byName.get('sc-pipeline/errors-by-cause');
    expect(errors?.QueryString).toMatch(/filter level = "ERROR"[\s\S]*by service, message, errorName/);
    expect(refs(errors)).toEqual(functions.map(logGroupId).sort());
    for (const name of ['dead-letters-by-reason', 'duration-and-cold-starts', 'one-booking'])
      expect(refs(byName.get(`sc-pipeline/${name}`))).toEqual(functions.map(logGroupId).sort());
  });

  it('names, in every alarm, a runbook section that exists', () => {
    // Assess
    const sections = new Set(
      readFileSync(RUNBOOKS, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('## '))
        .map((line) => line.slice(3).trim()),
    );
    const alarms = resources(synthesized.stateless, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const [id, alarm] of alarms) {
      const match = /Runbook: (\S+)#([a-z-]+)$/.exec(String(properties(alarm).AlarmDescription));
      expect(match?.[1], id).toBe(RUNBOOKS);
      expect(sections.has(match?.[2] ?? ''), `${id} -> ${match?.[2]}`).toBe(true);
    }
  });
});
