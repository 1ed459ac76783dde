import type { Vendor } from "@taskbridge/model";

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
