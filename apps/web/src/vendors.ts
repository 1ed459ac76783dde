import type { Vendor } from "@taskbridge/client";

/** How the app names each vendor. */
export const VENDOR_LABELS: Record<Vendor, string> = {
  MAX_AI: "Max AI",
  CAKEWALK: "Cakewalk",
  CAPY: "Capy",
  MAXSIGHT: "Maxsight",
};
