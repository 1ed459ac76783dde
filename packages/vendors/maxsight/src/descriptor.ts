import type { TransportOptions } from "@taskbridge/http";
import type { VendorDescriptor } from "@taskbridge/model";
import { createClient, MAXSIGHT_CAPABILITIES, type MaxsightClient } from "./client.ts";
import { ConnectionConfig } from "./config.ts";
import { CANONICAL_IDS } from "./ids.ts";

/** Maxsight, as data for the service. */
export const descriptor: VendorDescriptor<typeof ConnectionConfig, MaxsightClient, TransportOptions> = {
  id: "maxsight",
  displayName: "Maxsight",
  publicName: "MAXSIGHT",
  description: "Maxsight (KYC / compliance workflows).",
  config: ConnectionConfig,
  secrets: ["apiKey"],
  credential: "apiKey",
  // Maxsight publishes no rate limit for v5: no budget unless a connection configures one.
  rateLimit: null,
  canonicalIds: CANONICAL_IDS,
  capabilities: MAXSIGHT_CAPABILITIES,
  createClient,
};
