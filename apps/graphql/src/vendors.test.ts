import { Vendor } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { vendorDisplayName, vendorEnumName } from "./vendor-lookup.ts";
import { VENDORS } from "./vendors.ts";

describe("the vendor registry", () => {
  // The four vendors are pinned; a vendor added to the registry must not have to edit this test.
  it("serves the four vendors, and every vendor under its own id and public name", () => {
    expect(VENDORS.map((v) => [v.id, v.publicName, v.displayName])).toEqual(
      expect.arrayContaining([
        ["maxai", "MAX_AI", "Max AI"],
        ["cakewalk", "CAKEWALK", "Cakewalk"],
        ["capy", "CAPY", "Capy"],
        ["maxsight", "MAXSIGHT", "Maxsight"],
      ]),
    );
    expect(new Set(VENDORS.map((v) => v.id)).size).toBe(VENDORS.length);
    expect(new Set(VENDORS.map((v) => v.publicName)).size).toBe(VENDORS.length);
  });

  it("holds the limits the vendors publish, per credential", () => {
    expect(Object.fromEntries(VENDORS.map((v) => [v.id, [v.credential, v.rateLimit]]))).toMatchObject({
      maxai: ["apiKey", { limit: 1_000, windowMs: 60_000 }],
      cakewalk: ["apiKey", { limit: 1_000, windowMs: 60_000 }],
      capy: ["token", null],
      maxsight: ["apiKey", null],
    });
  });

  it.each(VENDORS.map((v) => [v.id, v] as const))("%s: a well-formed descriptor", (_id, vendor) => {
    expect(Vendor.safeParse(vendor.id).success).toBe(true);
    expect(vendor.publicName).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(vendor.description).not.toBe("");
    const fields = Object.keys(vendor.config.shape);
    expect(fields).toContain("baseUrl");
    for (const secret of vendor.secrets) expect(fields).toContain(secret);
    // The budget key is a credential: never a value that may be shown.
    expect(vendor.secrets).toContain(vendor.credential);
    expect(vendor.capabilities.idFormat).not.toBe("");
  });

  it("names vendors in messages and in the GraphQL enum", () => {
    expect(vendorEnumName("maxai")).toBe("MAX_AI");
    expect(vendorDisplayName("maxai")).toBe("Max AI");
    expect(vendorDisplayName("cakewalk")).toBe("Cakewalk");
  });
});
