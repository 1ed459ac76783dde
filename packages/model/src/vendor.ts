import { z } from "zod";

export const VENDORS = ["maxai", "cakewalk", "capy", "maxsight"] as const;
export const Vendor = z.enum(VENDORS);
export type Vendor = z.infer<typeof Vendor>;
