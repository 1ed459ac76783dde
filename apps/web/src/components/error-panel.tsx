import { type ErrorDetail, isRetryableCode, TaskbridgeError } from "@taskbridge/client";
import { useContext } from "react";
import { VENDOR_LABELS } from "../vendors.ts";
import { ChangeApiKey } from "./api-key-form.tsx";

/**
 * What to do next, from the error's code and the wait the service asked for. When a write's answer was lost
 * (IDEMPOTENCY_OUTCOME_UNKNOWN), what to check depends on the write: the view that sent it says (`unknownOutcome`).
 */
export function retryHint(
  error: ErrorDetail,
  unknownOutcome = "It may have happened: check before sending it again.",
): string {
  if (error.retryAfterSeconds !== undefined) {
    const by = error.limitedBy === "TASKBRIDGE" ? " (Taskbridge's budget for this vendor)" : "";
    return `Retry after ${error.retryAfterSeconds} s${by}.`;
  }
  if (error.code === "IDEMPOTENCY_OUTCOME_UNKNOWN") return unknownOutcome;
  // The key is what must change, not the request.
  if (error.code === "UNAUTHENTICATED") return "Taskbridge did not accept this API key.";
  return isRetryableCode(error.code) ? "Retrying later may help." : "Retrying will not help: the request must change.";
}

interface PanelProps {
  /** The hint for a write whose outcome is unknown (`retryHint`). */
  unknownOutcome?: string | undefined;
}

/** A typed error as a person reads it: code, vendor, the service's message and a retry hint. */
export function ErrorPanel({ error, unknownOutcome }: { error: unknown } & PanelProps) {
  if (!(error instanceof TaskbridgeError)) {
    return (
      <div role="alert" className="error">
        <strong>Unexpected error</strong>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </div>
    );
  }
  return <ErrorDetailPanel error={error} unknownOutcome={unknownOutcome} />;
}

export function ErrorDetailPanel({ error, unknownOutcome }: { error: ErrorDetail } & PanelProps) {
  const changeApiKey = useContext(ChangeApiKey);
  return (
    <div role="alert" className="error" data-code={error.code}>
      <p className="error-head">
        <code>{error.code}</code>
        {error.vendor && <span> · {VENDOR_LABELS[error.vendor]}</span>}
        {error.upstreamStatus !== undefined && <span> · vendor answered HTTP {error.upstreamStatus}</span>}
      </p>
      <p>{error.message}</p>
      <p className="hint">
        {retryHint(error, unknownOutcome)}
        {error.code === "UNAUTHENTICATED" && changeApiKey && (
          <>
            {" "}
            <button type="button" className="link" onClick={changeApiKey}>
              Use another API key
            </button>
          </>
        )}
      </p>
      {error.traceId && <p className="trace">Vendor trace id: {error.traceId}</p>}
      {/* What support finds the request by in the service's logs. */}
      {error.requestId && <p className="trace">Request id: {error.requestId}</p>}
    </div>
  );
}
