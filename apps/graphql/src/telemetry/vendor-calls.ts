import { context, propagation, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { BodyBudgetError, type CallInstrumentation, type CallObserver, CircuitOpenError } from "@taskbridge/http";
import { type Vendor, VendorError } from "@taskbridge/model";
import type { Metrics } from "./metrics.ts";

/**
 * What one vendor connection's calls report: Prometheus metrics (calls by outcome, durations, retries, the rate
 * budget left), and a CLIENT span per call inside the request's trace, whose W3C traceparent goes to the vendor.
 * Undefined when neither is on: the client then makes no observer at all.
 */
export function vendorCallInstrumentation(
  tenant: string,
  vendor: Vendor,
  telemetry: { metrics?: Metrics | undefined; tracer?: Tracer | undefined },
): CallInstrumentation | undefined {
  const { metrics, tracer } = telemetry;
  if (!metrics && !tracer) return undefined;
  let budgetLeft: number | undefined;
  metrics?.watchRateBudget(tenant, vendor, () => budgetLeft);
  return ({ operation, method }): CallObserver => {
    const started = performance.now();
    let attempts = 0;
    const span = tracer?.startSpan(
      `${vendor} ${operation}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "taskbridge.vendor": vendor,
          "taskbridge.vendor.operation": operation,
          "http.request.method": method,
        },
      },
      context.active(),
    );
    // Only a span has a traceparent to send; without one the client sends its request as prepared.
    let headers: Record<string, string> | undefined;
    if (span) {
      headers = {};
      propagation.inject(trace.setSpan(context.active(), span), headers);
    }
    return {
      headers,
      attempt: () => {
        attempts += 1;
      },
      retry(waitMs, error) {
        metrics?.vendorRetries.inc({ vendor, operation });
        span?.addEvent("retry", {
          "taskbridge.retry.wait_ms": waitMs,
          "error.type": error.kind,
          ...(error.status === undefined ? {} : { "http.response.status_code": error.status }),
        });
      },
      waited(reason, ms) {
        span?.addEvent(reason === "rate budget" ? "rate budget wait" : "vendor pause", { "taskbridge.wait_ms": ms });
      },
      budget(remaining) {
        budgetLeft = remaining;
        span?.setAttribute("taskbridge.rate_budget.remaining", remaining);
      },
      breaker(state) {
        span?.setAttribute("taskbridge.circuit_breaker.state", state);
      },
      end({ status, error }) {
        // A failure that is not the vendor's (a request refused before sending) is ours: "internal", never "ok".
        // A call the open breaker refused sent nothing: "circuit_open", apart from the vendor's own 503s. An answer
        // past a body budget is neither the vendor's fault nor ours: "body_budget".
        const outcome =
          error === undefined
            ? "ok"
            : error instanceof CircuitOpenError
              ? "circuit_open"
              : error instanceof BodyBudgetError
                ? "body_budget"
                : error instanceof VendorError
                  ? error.kind
                  : "internal";
        metrics?.vendorCalls.observe({ vendor, operation, outcome }, (performance.now() - started) / 1000);
        if (!span) return;
        span.setAttribute("taskbridge.vendor.attempts", attempts);
        if (status !== undefined) span.setAttribute("http.response.status_code", status);
        if (error) {
          span.setAttribute("error.type", outcome);
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        }
        span.end();
      },
    };
  };
}
