import { VendorNotConfiguredError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { type ClientOptions, resolveConfig } from "./config.ts";

const apiKey = "ms_secret_value_123";

describe("resolveConfig", () => {
  it("defaults to the us region", () => {
    expect(resolveConfig({ apiKey })).toEqual({ baseUrl: "https://api.us.maxsight.com", apiKey });
  });

  it.each([
    ["us", "https://api.us.maxsight.com"],
    ["eu", "https://api.eu.maxsight.com"],
    ["ae", "https://api.ae.maxsight.com"],
  ] as const)("maps region %s to %s", (region, baseUrl) => {
    expect(resolveConfig({ region, apiKey }).baseUrl).toBe(baseUrl);
  });

  it("lets an explicit baseUrl override the region", () => {
    expect(resolveConfig({ region: "eu", baseUrl: "http://127.0.0.1:4010", apiKey }).baseUrl).toBe(
      "http://127.0.0.1:4010",
    );
    expect(resolveConfig({ baseUrl: "https://proxy.example/maxsight/", apiKey }).baseUrl).toBe(
      "https://proxy.example/maxsight",
    );
  });

  it.each([
    ["https://api.eu.maxsight.com/v5", "/v5", "https://api.eu.maxsight.com"],
    ["https://proxy.example/ms/v5/", "/v5", "https://proxy.example/ms"],
  ])("refuses %s, the docs' base URL with its /v5, saying what to give instead", (baseUrl, version, instead) => {
    expect(() => resolveConfig({ baseUrl, apiKey })).toThrow(
      `✖ must not end with the API version (${version}): the client adds it; give ${instead}\n  → at baseUrl`,
    );
  });

  it.each([
    [{} as ClientOptions, "apiKey", "missing"],
    [{ apiKey: "" }, "apiKey", "missing"],
    [{ apiKey: "   " }, "apiKey", "must not contain white space"],
    [{ apiKey, region: "ap" } as unknown as ClientOptions, "region", 'Invalid option: expected one of "us"|"eu"|"ae"'],
    [{ apiKey, baseUrl: "api.us.maxsight.com" }, "baseUrl", "must be an http(s) URL"],
    [{ apiKey, baseUrl: "ftp://api.us.maxsight.com" }, "baseUrl", "must be an http(s) URL"],
  ])("rejects %j naming %s", (options, field, problem) => {
    let error: unknown;
    try {
      resolveConfig(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VendorNotConfiguredError);
    expect((error as Error).message).toBe(`maxsight connection config is invalid:\n✖ ${problem}\n  → at ${field}`);
    expect((error as Error).message).not.toContain(apiKey);
  });
});
