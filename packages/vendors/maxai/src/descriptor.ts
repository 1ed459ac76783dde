import type { TransportOptions } from "@taskbridge/http";
import type { VendorDescriptor } from "@taskbridge/model";
import { createClient, MAXAI_CAPABILITIES, type MaxAiClient } from "./client.ts";
import { ConnectionConfig } from "./config.ts";
import { CANONICAL_IDS } from "./ids.ts";

/** Max AI, as data for the service. */
export const descriptor: VendorDescriptor<typeof ConnectionConfig, MaxAiClient, TransportOptions> = {
  id: "maxai",
  displayName: "Max AI",
  publicName: "MAX_AI",
  description: "Max AI (dermatology EHR assistant).",
  config: ConnectionConfig,
  secrets: ["apiKey"],
  // Max AI counts requests per app (API key), not per organization. @see https://docs.maxcare.ai/guides/rate-limits
  credential: "apiKey",
  rateLimit: { limit: 1_000, windowMs: 60_000 },
  canonicalIds: CANONICAL_IDS,
  capabilities: MAXAI_CAPABILITIES,
  createClient,
};
