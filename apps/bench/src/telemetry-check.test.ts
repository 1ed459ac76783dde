import { describe, expect, it } from "vitest";
import { type TelemetryCheck, telemetryProblem } from "./telemetry-check.ts";

const check = (system: TelemetryCheck["system"], tracedCalls: number, metricSeries: number): TelemetryCheck => ({
  system,
  vendorCalls: 1,
  tracedCalls,
  metricSeries,
});

describe("telemetryProblem", () => {
  it("accepts each Taskbridge with exactly the telemetry it is named for", () => {
    expect(telemetryProblem(check("taskbridge", 0, 0))).toBeUndefined();
    expect(telemetryProblem(check("taskbridge+metrics", 0, 40))).toBeUndefined();
    expect(telemetryProblem(check("taskbridge+tracing", 1, 0))).toBeUndefined();
  });

  it("refuses a variant whose switch did nothing, and a baseline that traces", () => {
    expect(telemetryProblem(check("taskbridge+tracing", 0, 0))).toMatch(/0 of 1 vendor calls .*tracing is not on/);
    expect(telemetryProblem(check("taskbridge+metrics", 0, 0))).toMatch(/no taskbridge_\* series/);
    expect(telemetryProblem(check("taskbridge", 1, 0))).toMatch(/tracing should be off/);
    expect(telemetryProblem(check("taskbridge+metrics", 1, 40))).toMatch(/tracing should be off/);
  });
});
