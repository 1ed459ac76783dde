import type { TransportOptions } from "@taskbridge/http";
import type { VendorDescriptor } from "@taskbridge/model";
import { type AcmeClient, CAPABILITIES, createClient } from "./client.ts";
import { ConnectionConfig } from "./config.ts";

/** A vendor that exists only in tests: what adding a vendor takes, in one folder. */
export const descriptor: VendorDescriptor<typeof ConnectionConfig, AcmeClient, TransportOptions> = {
  id: "acme",
  displayName: "Acme",
  publicName: "ACME",
  description: "Acme (a vendor that lives only in the tests).",
  config: ConnectionConfig,
  secrets: ["token"],
  credential: "token",
  // Small, so a test can spend it.
  rateLimit: { limit: 3, windowMs: 60_000 },
  capabilities: CAPABILITIES,
  createClient,
};
