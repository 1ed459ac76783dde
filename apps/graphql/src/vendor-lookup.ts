import type { Vendor } from "@taskbridge/model";
import { type ServedVendor, VENDORS } from "./vendors.ts";

const BY_ID = new Map(VENDORS.map((vendor) => [vendor.id, vendor]));

/** The registry's descriptor of `vendor`, or undefined when the service does not serve it. */
export function servedVendor(vendor: Vendor): ServedVendor | undefined {
  return BY_ID.get(vendor);
}

/** The GraphQL `Vendor` enum name of a vendor, e.g. MAX_AI. */
export function vendorEnumName(vendor: Vendor): string {
  return BY_ID.get(vendor)?.publicName ?? vendor.toUpperCase();
}

/** The vendor's name for people, e.g. "Max AI". */
export function vendorDisplayName(vendor: Vendor): string {
  return BY_ID.get(vendor)?.displayName ?? vendor;
}
