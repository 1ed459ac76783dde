import type { Vendor } from "./operations.ts";

/** Every value of the schema's Vendor enum, for pickers (vendors.test.ts fails when the schema adds one). */
export const VENDORS = ["MAX_AI", "CAKEWALK", "CAPY", "MAXSIGHT"] as const satisfies readonly Vendor[];
