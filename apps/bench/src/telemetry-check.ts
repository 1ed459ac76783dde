import type { UpstreamProbe } from "./probe.ts";
import type { RunSystemName } from "./workload.ts";

/** Evidence that a Taskbridge of the telemetry comparison runs with exactly the telemetry it is named for. */
export interface TelemetryCheck {
  system: Exclude<RunSystemName, "proxy">;
  /** Vendor calls of one query sent alone, and how many carried a W3C traceparent (sent only when tracing). */
  vendorCalls: number;
  tracedCalls: number;
  /** Taskbridge's own series (`taskbridge_*`) on GET /metrics after that query; 0 where metrics are off. */
  metricSeries: number;
}

export async function checkTelemetry(
  system: TelemetryCheck["system"],
  probe: UpstreamProbe,
  metricsOrigin: string | undefined,
): Promise<TelemetryCheck> {
  return {
    system,
    vendorCalls: probe.calls,
    tracedCalls: probe.traced,
    metricSeries: metricsOrigin ? await ownSeries(metricsOrigin) : 0,
  };
}

async function ownSeries(metricsOrigin: string): Promise<number> {
  const response = await fetch(`${metricsOrigin}/metrics`);
  const text = await response.text();
  if (response.status !== 200) return 0;
  return text.split("\n").filter((line) => line.startsWith("taskbridge_")).length;
}

/**
 * Why a check shows the wrong telemetry, or undefined. A variant whose switch silently did nothing would measure
 * as fast as Taskbridge as it is and pass its target.
 */
export function telemetryProblem(check: TelemetryCheck): string | undefined {
  const tracing = check.system === "taskbridge+tracing";
  const metrics = check.system === "taskbridge+metrics";
  const traced = `${check.tracedCalls} of ${check.vendorCalls} vendor calls carried a traceparent`;
  if (tracing && (check.vendorCalls === 0 || check.tracedCalls !== check.vendorCalls))
    return `${check.system}: ${traced}; tracing is not on`;
  if (!tracing && check.tracedCalls > 0) return `${check.system}: ${traced}; tracing should be off`;
  if (metrics && check.metricSeries === 0) return `${check.system}: GET /metrics served no taskbridge_* series`;
  return undefined;
}
