import { VendorNotConfiguredError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { type MaxsightClientOptions, resolveMaxsightConfig } from "./config.ts";

const apiKey = "ms_secret_value_123";

describe("resolveMaxsightConfig", () => {
  it("defaults to the us region", () => {
    expect(resolveMaxsightConfig({ apiKey })).toEqual({ baseUrl: "https://api.us.maxsight.com", apiKey });
  });

  it.each([
    ["us", "https://api.us.maxsight.com"],
    ["eu", "https://api.eu.maxsight.com"],
    ["ae", "https://api.ae.maxsight.com"],
  ] as const)("maps region %s to %s", (region, baseUrl) => {
    expect(resolveMaxsightConfig({ region, apiKey }).baseUrl).toBe(baseUrl);
  });

  it("lets an explicit baseUrl override the region", () => {
    expect(resolveMaxsightConfig({ region: "eu", baseUrl: "http://127.0.0.1:4010", apiKey }).baseUrl).toBe(
      "http://127.0.0.1:4010",
    );
    expect(resolveMaxsightConfig({ baseUrl: "https://proxy.example/maxsight/", apiKey }).baseUrl).toBe(
      "https://proxy.example/maxsight",
    );
  });

  it("drops a trailing /v5 copied from the docs' base URL", () => {
    expect(resolveMaxsightConfig({ baseUrl: "https://api.eu.maxsight.com/v5", apiKey }).baseUrl).toBe(
      "https://api.eu.maxsight.com",
    );
    expect(resolveMaxsightConfig({ baseUrl: "https://proxy.example/ms/v5/", apiKey }).baseUrl).toBe(
      "https://proxy.example/ms",
    );
  });

  it.each([
    [{} as MaxsightClientOptions, "apiKey", "is missing"],
    [{ apiKey: "" }, "apiKey", "is missing"],
    [{ apiKey: "   " }, "apiKey", "is invalid"],
    [{ apiKey, region: "ap" } as unknown as MaxsightClientOptions, "region", "is invalid"],
    [{ apiKey, baseUrl: "api.us.maxsight.com" }, "baseUrl", "is invalid"],
    [{ apiKey, baseUrl: "ftp://api.us.maxsight.com" }, "baseUrl", "is invalid"],
  ])("rejects %j naming %s", (options, field, problem) => {
    let error: unknown;
    try {
      resolveMaxsightConfig(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VendorNotConfiguredError);
    expect((error as Error).message).toContain(`"${field}" ${problem}`);
    expect((error as Error).message).not.toContain(apiKey);
  });
});
