import type { TransportOptions } from "@taskbridge/http";
import type { VendorDescriptor } from "@taskbridge/model";
import { CAKEWALK_CAPABILITIES, type CakewalkClient, createClient } from "./client.ts";
import { ConnectionConfig } from "./config.ts";
import { CANONICAL_IDS } from "./ids.ts";

/** Cakewalk, as data for the service. */
export const descriptor: VendorDescriptor<typeof ConnectionConfig, CakewalkClient, TransportOptions> = {
  id: "cakewalk",
  displayName: "Cakewalk",
  publicName: "CAKEWALK",
  description: "Cakewalk (access governance).",
  config: ConnectionConfig,
  secrets: ["apiKey", "apiSecret"],
  credential: "apiKey",
  // @see https://docs.getcakewalk.io/open-api/rate-limits
  rateLimit: { limit: 1_000, windowMs: 60_000 },
  canonicalIds: CANONICAL_IDS,
  capabilities: CAKEWALK_CAPABILITIES,
  createClient,
};
