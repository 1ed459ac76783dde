import type { Vendor } from "@taskbridge/model";
import { builder } from "../builder.ts";

export const VendorEnum = builder.enumType("Vendor", {
  description: "The task systems Taskbridge reads from.",
  values: {
    MAX_AI: { value: "maxai", description: "Max AI (dermatology EHR assistant)." },
    CAKEWALK: { value: "cakewalk", description: "Cakewalk (access governance)." },
    CAPY: { value: "capy", description: "Capy (AI coding agent)." },
    MAXSIGHT: { value: "maxsight", description: "Maxsight (KYC / compliance workflows)." },
  } as const satisfies Record<string, { value: Vendor; description: string }>,
});
