import type { Vendor } from "@taskbridge/model";

/** Model vendor → GraphQL `Vendor` enum value name. */
export const VENDOR_ENUM_NAMES = {
  maxai: "MAX_AI",
  cakewalk: "CAKEWALK",
  capy: "CAPY",
  maxsight: "MAXSIGHT",
} as const satisfies Record<Vendor, string>;

export function vendorEnumName(vendor: Vendor): string {
  return VENDOR_ENUM_NAMES[vendor];
}
