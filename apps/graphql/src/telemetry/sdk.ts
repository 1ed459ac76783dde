import { type TracerProvider, trace } from "@opentelemetry/api";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { startNodeSdk } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace";

/** Takes every span and keeps none: tracing's whole cost, without an exporter's. */
const DISCARD: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

export interface TracingSdk {
  provider: TracerProvider;
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry's Node SDK for traces only, configured by the standard OTEL_* variables (exporter, endpoint,
 * sampler, propagators, resource). Metrics are Prometheus's (telemetry/metrics.ts) and logs pino's, so the SDK
 * starts neither. `discard` (OTEL_TRACES_EXPORTER=none) records spans and drops them. Tests pass span processors of
 * their own (an in-memory exporter). `serviceName` is the name when neither OTEL_SERVICE_NAME nor
 * OTEL_RESOURCE_ATTRIBUTES gives one.
 */
export function startTracingSdk(
  options: { serviceName?: string; discard?: boolean; spanProcessors?: SpanProcessor[] } = {},
): TracingSdk {
  const spanProcessors =
    // Batched, as the SDK does for its exporters: a simple processor's export per span would be a cost of its own.
    options.spanProcessors ?? (options.discard ? [new BatchSpanProcessor({ exporter: DISCARD })] : undefined);
  const sdk = startNodeSdk({
    metricReaders: [],
    logRecordProcessors: [],
    // The base resource, under what the SDK reads: OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, name it first.
    ...(options.serviceName
      ? { baseResource: defaultResource().merge(resourceFromAttributes({ "service.name": options.serviceName })) }
      : {}),
    ...(spanProcessors ? { spanProcessors } : {}),
  });
  return { provider: trace.getTracerProvider(), shutdown: () => sdk.shutdown() };
}
