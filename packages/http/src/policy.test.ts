import { describe, expect, it } from "vitest";
import { type CallContext, composePolicies, type Exchange, type Policy } from "./policy.ts";

const call: CallContext = {
  vendor: "capy",
  operation: "op",
  method: "GET",
  idempotent: true,
  idempotencyKey: undefined,
  signal: new AbortController().signal,
  deadline: Date.now() + 1_000,
  observer: undefined,
};

function tracing(name: string, log: string[]): Policy {
  return async (_c, attempt) => {
    log.push(`${name}>`);
    const result = await attempt();
    log.push(`<${name}`);
    return { ...result, json: [...(result.json as string[]), name] };
  };
}

describe("composePolicies", () => {
  it("runs policies outermost first around the attempt", async () => {
    const log: string[] = [];
    const policy = composePolicies([tracing("a", log), tracing("b", log), tracing("c", log)]);
    const result = await policy(call, async () => {
      log.push("attempt");
      return { status: 200, headers: {}, json: [] } satisfies Exchange;
    });
    expect(log).toEqual(["a>", "b>", "c>", "attempt", "<c", "<b", "<a"]);
    expect(result.json).toEqual(["c", "b", "a"]);
  });

  it("with no policies calls the attempt exactly once", async () => {
    let attempts = 0;
    await composePolicies([])(call, async () => {
      attempts += 1;
      return { status: 200, headers: {}, json: null };
    });
    expect(attempts).toBe(1);
  });

  it("lets a policy call the attempt several times", async () => {
    const twice: Policy = async (_c, attempt) => {
      await attempt();
      return attempt();
    };
    let attempts = 0;
    await composePolicies([twice, tracing("inner", [])])(call, async () => {
      attempts += 1;
      return { status: 200, headers: {}, json: [] };
    });
    expect(attempts).toBe(2);
  });
});
