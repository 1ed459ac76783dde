import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseUrl, headerValue, parseConnectionConfig } from "./connection.ts";
import { VendorNotConfiguredError } from "./errors.ts";

const SECRET = "sk_live_do_not_show";
const Config = z.object({
  baseUrl: baseUrl(/\/v\d+$/).default("https://api.example.com"),
  apiKey: headerValue(),
});

/** The VendorNotConfiguredError that parsing `input` throws. */
function failure(input: unknown): VendorNotConfiguredError {
  try {
    parseConnectionConfig("maxai", Config, input);
  } catch (error) {
    if (error instanceof VendorNotConfiguredError) return error;
    throw error;
  }
  throw new Error("expected the config to be refused");
}

describe("baseUrl", () => {
  it.each([
    ["https://api.example.com", "https://api.example.com"],
    ["https://api.example.com/", "https://api.example.com"],
    ["http://127.0.0.1:4010", "http://127.0.0.1:4010"],
    ["https://proxy.example/example/", "https://proxy.example/example"],
    ["https://proxy.example/v2ish", "https://proxy.example/v2ish"],
  ])("keeps the origin and proxy prefix of %s → %s", (input, expected) => {
    expect(Config.parse({ baseUrl: input, apiKey: SECRET }).baseUrl).toBe(expected);
  });

  it("defaults when absent", () => {
    expect(Config.parse({ apiKey: SECRET }).baseUrl).toBe("https://api.example.com");
  });

  it.each([
    ["https://api.example.com/v2", "/v2", "https://api.example.com"],
    ["https://api.example.com/v10/", "/v10", "https://api.example.com"],
    ["https://proxy.example/example/v5", "/v5", "https://proxy.example/example"],
  ])("refuses %s, which ends with the API version, and says what to give instead", (input, version, instead) => {
    const error = failure({ baseUrl: input, apiKey: SECRET });
    expect(error.message).toContain(
      `must not end with the API version (${version}): the client adds it; give ${instead}`,
    );
    expect(error.message).toContain("→ at baseUrl");
  });

  it.each([
    ["not a URL", "not a url", "must be an http(s) URL"],
    ["ftp", "ftp://api.example.com", "must be an http(s) URL"],
    ["credentials", `https://user:${SECRET}@api.example.com`, "must not contain credentials"],
    ["a query", "https://api.example.com/?key=1", "must not have a query or a fragment"],
    ["a fragment", "https://api.example.com/#x", "must not have a query or a fragment"],
  ])("refuses a base URL with %s", (_name, input, message) => {
    const error = failure({ baseUrl: input, apiKey: "k" });
    expect(error.message).toContain(message);
    expect(error.message).toContain("→ at baseUrl");
    expect(error.message).not.toContain(SECRET);
  });
});

describe("headerValue", () => {
  it.each([
    ["absent", undefined, "missing"],
    ["null", null, "missing"],
    ["empty", "", "missing"],
    ["blank", "   ", "must not contain white space"],
    ["with a space inside", `${SECRET} x`, "must not contain white space"],
    ["with a newline", `${SECRET}\n`, "must not contain white space"],
    ["a number", 42, "must be a string"],
  ])("refuses a value that is %s, naming the field and never the value", (_name, apiKey, reason) => {
    const error = failure({ apiKey });
    expect(error.message).toBe(`maxai connection config is invalid:\n✖ ${reason}\n  → at apiKey`);
    expect(error.detail).toBe(`✖ ${reason}\n  → at apiKey`);
    expect(error.vendor).toBe("maxai");
    expect(error.retryable).toBe(false);
  });
});

describe("parseConnectionConfig", () => {
  it("returns the parsed config", () => {
    expect(parseConnectionConfig("maxai", Config, { apiKey: SECRET, extra: 1 })).toEqual({
      baseUrl: "https://api.example.com",
      apiKey: SECRET,
    });
  });

  it("reports every problem at once", () => {
    const error = failure({ baseUrl: "https://api.example.com/v1", apiKey: "" });
    expect(error.message).toContain("✖ missing\n  → at apiKey");
    expect(error.message).toContain("→ at baseUrl");
  });

  it("refuses a config that is not an object", () => {
    expect(failure(undefined).message).toContain("expected object");
  });
});
