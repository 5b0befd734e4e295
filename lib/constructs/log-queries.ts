import { QueryDefinition, QueryString, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface LogQueriesProps {
  /** Log groups of the search (match) function. */
  readonly searchLogGroups: readonly ILogGroup[];
  /** Log groups of every function. */
  readonly allLogGroups: readonly ILogGroup[];
  /** Prefix of the saved queries' names (they are listed by name in the console). @default 'sc-pipeline' */
  readonly prefix?: string;
}

/**
 * CloudWatch Logs Insights queries saved with the stack, over the functions' JSON logs (Powertools
 * Logger fields: `level`, `message`, `service`, `submissionId`, ...; Lambda's `platform.report`
 * lines). An operator opens them from the console's Logs Insights page, under the prefix.
 */
export class LogQueries extends Construct {
  public readonly queries: QueryDefinition[] = [];

  public constructor(scope: Construct, id: string, props: LogQueriesProps) {
    super(scope, id);
    const prefix = props.prefix ?? 'sc-pipeline';
    const all = [...props.allLogGroups];

    this.add('SearchLatency', `${prefix}/search-latency-percentiles`, [...props.searchLogGroups], {
      filterStatements: ['message = "Search done"'],
      statsStatements: [
        'count(*) as searches, pct(latencyMs, 50) as p50, pct(latencyMs, 95) as p95, pct(latencyMs, 99) as p99, avg(candidatesVerified) as candidates by bin(5m)',
      ],
    });
    this.add('ErrorsByCause', `${prefix}/errors-by-cause`, all, {
      filterStatements: ['level = "ERROR"'],
      statsStatements: ['count(*) as errors by service, message, errorName'],
      sort: 'errors desc',
    });
    this.add('DeadLetters', `${prefix}/dead-letters-by-reason`, all, {
      filterStatements: ['message like /to the DLQ/'],
      statsStatements: ['count(*) as deadLetters by service, message, errorName'],
      sort: 'deadLetters desc',
    });
    this.add('InvocationDuration', `${prefix}/duration-and-cold-starts`, all, {
      filterStatements: ['type = "platform.report"'],
      statsStatements: [
        'count(*) as invocations, count(record.metrics.initDurationMs) as coldStarts, pct(record.metrics.durationMs, 50) as p50, pct(record.metrics.durationMs, 99) as p99, max(record.metrics.initDurationMs) as maxInitMs by bin(5m)',
      ],
    });
    this.add('BookingTrace', `${prefix}/one-booking`, all, {
      fields: ['@timestamp', 'service', 'level', 'message', 'outcome', 'recordType', 'errorName'],
      // The correlation id: replace the id before running the query.
      filterStatements: ['submissionId = "SUBMISSION-ID"'],
      sort: '@timestamp asc',
    });
  }

  private add(
    id: string,
    name: string,
    logGroups: ILogGroup[],
    query: ConstructorParameters<typeof QueryString>[0],
  ): void {
    this.queries.push(
      new QueryDefinition(this, id, { queryDefinitionName: name, queryString: new QueryString(query), logGroups }),
    );
  }
}
