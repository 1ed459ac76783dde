import type { Vendor } from "@taskbridge/model";
import { type ServedVendor, VENDORS } from "./vendors.ts";

/**
 * Global ids are `<vendor>:<vendor's id>` (e.g. `maxai:tsk_a1b2…`): unique across vendors, stable, and readable.
 * Clients should treat them as opaque; `vendorId` carries the vendor's own id.
 */
export function globalId(vendor: Vendor, vendorId: string): string {
  return `${vendor}:${vendorId}`;
}

/** Accepts the vendor's id or our global id for that vendor, and returns the vendor's id. */
export function vendorIdFrom(vendor: Vendor, id: string): string {
  const prefix = `${vendor}:`;
  return id.startsWith(prefix) ? id.slice(prefix.length) : id;
}

/** The vendor whose global id `id` is, when that is another vendor than `vendor`: a mix-up worth naming. */
export function otherVendorsId(vendor: Vendor, id: string): ServedVendor | undefined {
  return VENDORS.find((other) => other.id !== vendor && id.startsWith(`${other.id}:`));
}
