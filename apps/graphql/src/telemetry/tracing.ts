import type { IncomingMessage, ServerResponse } from "node:http";
import { useOpenTelemetry } from "@envelop/opentelemetry";
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import type { Plugin } from "graphql-yoga";

/** The error extension carrying the request's OpenTelemetry trace id (`traceId` is the vendor's own). */
export const TRACE_ID_EXTENSION = "otelTraceId";

/** Tracing of the HTTP layer and the GraphQL phases, from one tracer provider. */
export interface RequestTracing {
  /** Runs a GraphQL request inside its SERVER span (a child of the caller's `traceparent`, when sent). */
  traced(
    req: Pick<IncomingMessage, "method" | "headers">,
    res: Pick<ServerResponse, "statusCode">,
    ids: Record<string, string>,
    handle: () => Promise<void>,
  ): Promise<void>;
  /** envelop's OpenTelemetry plugin: a span per operation, a child of the request's span. */
  plugin: Plugin;
  /** For the vendor clients: a span per vendor call, a child of the active span. */
  tracer: Tracer;
}

export function requestTracing(provider: TracerProvider): RequestTracing {
  const tracer = provider.getTracer("taskbridge");
  return {
    tracer,
    // Operation spans carry the operation's name and type, never its document, variables or results: a document
    // may hold inline arguments (ids, notes), and the plugin walks the whole document to find them on every operation.
    plugin: useOpenTelemetry(
      { resolvers: false, variables: false, result: false, document: false },
      provider,
      SpanKind.INTERNAL,
    ) as Plugin,
    async traced(req, res, ids, handle) {
      const parent = propagation.extract(ROOT_CONTEXT, req.headers);
      const span = tracer.startSpan(
        `${req.method} /graphql`,
        { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method ?? "", "url.path": "/graphql" } },
        parent,
      );
      ids[TRACE_ID_EXTENSION] = span.spanContext().traceId;
      try {
        await context.with(trace.setSpan(parent, span), handle);
      } finally {
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    },
  };
}
