import { describe, expect, it } from "vitest";
import { scrubJson } from "./redact.ts";

const SECRETS = ["tok_SECRET_1", "Bearer tok_SECRET_1"];
const scrub = (value: unknown) => scrubJson(JSON.stringify(value), value, SECRETS);

describe("scrubJson", () => {
  it("replaces secrets in strings and keys at any depth", () => {
    expect(scrub({ a: ["x tok_SECRET_1 y", { tok_SECRET_1: "Bearer tok_SECRET_1" }], n: 1, z: null })).toEqual({
      a: ["x [redacted] y", { "[redacted]": "[redacted]" }],
      n: 1,
      z: null,
    });
    expect(scrub("tok_SECRET_1")).toBe("[redacted]");
  });

  it("answers the parsed value itself when no secret is in it, and copies only what changes", () => {
    const clean = { a: [1, "two"], b: { c: "tok_SECRET" } };
    expect(scrub(clean)).toBe(clean);
    const mixed = { kept: { x: 1 }, changed: ["tok_SECRET_1"] };
    const scrubbed = scrub(mixed) as typeof mixed;
    expect(scrubbed.kept).toBe(mixed.kept);
    expect(mixed.changed).toEqual(["tok_SECRET_1"]);
  });

  it("finds a secret behind JSON escapes, and keeps a __proto__ key as data", () => {
    const text = '{"__proto__": {"k": "tok\\u005fSECRET\\u005f1"}}';
    const scrubbed = scrubJson(text, JSON.parse(text), SECRETS) as Record<string, unknown>;
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(scrubbed, "__proto__")?.value).toEqual({ k: "[redacted]" });
  });

  it("leaves secrets shorter than 4 characters alone, as scrubSecrets does", () => {
    expect(scrubJson('"abc"', "abc", ["abc"])).toBe("abc");
  });
});
