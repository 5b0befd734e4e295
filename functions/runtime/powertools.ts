import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One Logger, Metrics and Tracer per function, configured from the environment
 * (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_TRACE_ENABLED ...) so that the
 * stack and the local runtime set them in one place. Nothing biometric or personal is ever logged:
 * only ids (submissionId, ORI, subject FIN) and counts.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sc-pipeline' });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'ScPipeline',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sc-pipeline',
  // Its own warnings (e.g. an invocation with nothing to publish) go out as structured log lines.
  logger,
});

export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sc-pipeline' });
