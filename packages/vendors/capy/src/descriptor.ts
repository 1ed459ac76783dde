import type { TransportOptions } from "@taskbridge/http";
import type { VendorDescriptor } from "@taskbridge/model";
import { CAPY_CAPABILITIES, type CapyClient, createClient } from "./client.ts";
import { ConnectionConfig } from "./config.ts";
import { CANONICAL_IDS } from "./ids.ts";

/** Capy, as data for the service. */
export const descriptor: VendorDescriptor<typeof ConnectionConfig, CapyClient, TransportOptions> = {
  id: "capy",
  displayName: "Capy",
  publicName: "CAPY",
  description: "Capy (AI coding agent).",
  config: ConnectionConfig,
  secrets: ["token"],
  credential: "token",
  // Capy publishes no rate limit: no budget unless a connection configures one.
  rateLimit: null,
  canonicalIds: CANONICAL_IDS,
  capabilities: CAPY_CAPABILITIES,
  createClient,
};
