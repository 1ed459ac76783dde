import { z } from "zod";

/**
 * A vendor's id: lowercase letters and digits (it prefixes global ids, `maxai:tsk_…`, so it has no colon). The set
 * of vendors is open: each vendor package declares its own in its descriptor, and the service serves the ones its
 * registry lists.
 */
export const Vendor = z.string().regex(/^[a-z][a-z0-9]*$/, "lowercase letters and digits");
export type Vendor = string;

/** The vendors whose typed task details and status tables this package holds. */
export const KNOWN_VENDORS = ["maxai", "cakewalk", "capy", "maxsight"] as const;
export type KnownVendor = (typeof KNOWN_VENDORS)[number];
