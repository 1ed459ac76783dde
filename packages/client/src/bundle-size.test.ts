import { describe, expect, it } from "vitest";
import { BUNDLE_LIMIT_BYTES, browserBundleSize } from "../scripts/bundle-size.ts";

describe("the browser bundle", () => {
  it("weighs at most 8 KB minified and gzipped, every export included", async () => {
    const { gzip } = await browserBundleSize();
    expect(gzip).toBeGreaterThan(1_000);
    expect(gzip).toBeLessThanOrEqual(BUNDLE_LIMIT_BYTES);
  });
});
