import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { BatchedDestination, createLogger, LazyRequestLogger } from "./logger.ts";

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

  it("scrubs a secret that JSON writes escaped: a quote or a backslash in it", () => {
    const secret = 'sk_"live\\secret';
    const { logger, lines } = collectingLogger([secret]);
    logger.warn({ reason: `token ${secret} refused` }, "vendor call failed");
    expect(lines[0]?.reason).toBe("token [redacted] refused");
  });
});

describe("BatchedDestination", () => {
  function batched(windowMs: number) {
    const writes: string[] = [];
    return { writes, destination: new BatchedDestination({ write: (text: string) => writes.push(text) }, windowMs) };
  }

  it("writes the lines of one window together, in order, when the window ends", async () => {
    const { writes, destination } = batched(20);
    destination.write("a\n");
    destination.write("b\n");
    expect(writes).toEqual([]);
    await sleep(60);
    destination.write("c\n");
    await sleep(60);
    expect(writes).toEqual(["a\nb\n", "c\n"]);
  });

  it("writes what is pending at once when pino's logger.flush() asks", () => {
    const { writes, destination } = batched(60_000);
    const logger = createLogger({ destination });
    logger.info("first");
    logger.info("second");
    const flushed = vi.fn();
    logger.flush(flushed);
    expect(flushed).toHaveBeenCalledOnce();
    expect(writes).toHaveLength(1);
    const messages = writes[0]
      ?.trim()
      .split("\n")
      .map((line) => JSON.parse(line).msg);
    expect(messages).toEqual(["first", "second"]);
  });

  it("writes what is pending to stdout when the process exits, even at once, secrets scrubbed", () => {
    // The default destination in a real process: a line logged just before process.exit() reaches stdout.
    const script = `import { createLogger } from ${JSON.stringify(fileURLToPath(new URL("./logger.ts", import.meta.url)))};
      createLogger({ secrets: ["sk_live_last"] }).info("last words, sk_live_last"); process.exit(0);`;
    const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(stdout)).toMatchObject({ msg: "last words, [redacted]", service: "taskbridge-graphql" });
  });
});
