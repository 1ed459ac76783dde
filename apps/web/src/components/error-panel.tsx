import { type ErrorDetail, isRetryableCode, TaskbridgeError } from "@taskbridge/client";
import { VENDOR_LABELS } from "../vendors.ts";

/** What to do next, from the error's code and the wait the service asked for. */
export function retryHint(error: ErrorDetail): string {
  if (error.retryAfterSeconds !== undefined) {
    const by = error.limitedBy === "TASKBRIDGE" ? " (Taskbridge's budget for this vendor)" : "";
    return `Retry after ${error.retryAfterSeconds} s${by}.`;
  }
  if (error.code === "IDEMPOTENCY_OUTCOME_UNKNOWN") return "The task may exist: check before creating it again.";
  return isRetryableCode(error.code) ? "Retrying later may help." : "Retrying will not help: the request must change.";
}

/** A typed error as a person reads it: code, vendor, the service's message and a retry hint. */
export function ErrorPanel({ error }: { error: unknown }) {
  if (!(error instanceof TaskbridgeError)) {
    return (
      <div role="alert" className="error">
        <strong>Unexpected error</strong>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </div>
    );
  }
  return <ErrorDetailPanel error={error} />;
}

export function ErrorDetailPanel({ error }: { error: ErrorDetail }) {
  return (
    <div role="alert" className="error" data-code={error.code}>
      <p className="error-head">
        <code>{error.code}</code>
        {error.vendor && <span> · {VENDOR_LABELS[error.vendor]}</span>}
        {error.upstreamStatus !== undefined && <span> · vendor answered HTTP {error.upstreamStatus}</span>}
      </p>
      <p>{error.message}</p>
      <p className="hint">{retryHint(error)}</p>
      {error.traceId && <p className="trace">Vendor trace id: {error.traceId}</p>}
    </div>
  );
}
