/**
 * Local defaults for Powertools, set before any handler module is loaded: Logger, Metrics and Tracer
 * read their settings when they are constructed. Import this first in every local entry point.
 * Values already in the environment win.
 */
const defaults: Record<string, string> = {
  POWERTOOLS_SERVICE_NAME: 'sc-pipeline-local',
  POWERTOOLS_METRICS_NAMESPACE: 'ScPipeline',
  POWERTOOLS_TRACE_ENABLED: 'false',
  // Locally nobody reads EMF lines; they would drown the demo's output.
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;

export {};
