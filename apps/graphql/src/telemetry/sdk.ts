import { type TracerProvider, trace } from "@opentelemetry/api";
import { startNodeSdk } from "@opentelemetry/sdk-node";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";

export interface TracingSdk {
  provider: TracerProvider;
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry's Node SDK for traces only, configured by the standard OTEL_* variables (exporter, endpoint,
 * sampler, propagators, resource). Metrics are Prometheus's (telemetry/metrics.ts) and logs pino's, so the SDK
 * starts neither. Tests pass span processors of their own (an in-memory exporter).
 */
export function startTracingSdk(options: { serviceName?: string; spanProcessors?: SpanProcessor[] } = {}): TracingSdk {
  const sdk = startNodeSdk({
    metricReaders: [],
    logRecordProcessors: [],
    ...(options.serviceName ? { resourceAttributes: { "service.name": options.serviceName } } : {}),
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
  });
  return { provider: trace.getTracerProvider(), shutdown: () => sdk.shutdown() };
}
