import { describe, expect, it, vi } from "vitest";
import { createLogger, LazyRequestLogger } from "./logger.ts";

function collectingLogger(secrets: string[] = []) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ secrets, destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

describe("LazyRequestLogger", () => {
  it("makes no child logger until something logs", () => {
    const { logger } = collectingLogger();
    const child = vi.spyOn(logger, "child");
    new LazyRequestLogger(logger, "req-1");
    expect(child).not.toHaveBeenCalled();
  });

  it("writes warn and error lines with the request id, through one child", () => {
    const { logger, lines } = collectingLogger();
    const child = vi.spyOn(logger, "child");
    const log = new LazyRequestLogger(logger, "req-2");
    log.warn({ code: "VENDOR_TIMEOUT" }, "vendor call failed");
    log.error({ err: new Error("boom") }, "unexpected error");
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toMatchObject([
      { level: 40, reqId: "req-2", code: "VENDOR_TIMEOUT", msg: "vendor call failed" },
      { level: 50, reqId: "req-2", err: { message: "boom" }, msg: "unexpected error" },
    ]);
  });

  it("keeps the logger's secret scrubbing", () => {
    const { logger, lines } = collectingLogger(["sk_live_secret"]);
    new LazyRequestLogger(logger, "req-3").warn({ reason: "token sk_live_secret refused" }, "vendor call failed");
    expect(lines[0]?.reason).toBe("token [redacted] refused");
  });
});
