import type { z } from "zod";
import type { IdKind, SourceCapabilities, TaskSource } from "./source.ts";
import type { Vendor } from "./vendor.ts";

/** A limit a vendor publishes for one credential: at most `limit` requests in any `windowMs`. */
export interface PublishedRateLimit {
  limit: number;
  windowMs: number;
}

type ConfigField<C extends z.ZodObject> = Extract<keyof z.output<C>, string>;

/** What a vendor's client factory takes: a connection config (input of its schema `C`) and transport options `H`. */
export type ConnectionOptions<C extends z.ZodType, H> = z.input<C> & { http?: H | undefined };

/**
 * What a service needs to know about a vendor, as data. Every vendor package exports one as `descriptor`; the
 * service lists them in its registry and never branches on a vendor.
 *
 * `C` is the connection config schema, `S` the client, `H` the transport options its factory takes.
 */
export interface VendorDescriptor<C extends z.ZodObject = z.ZodObject, S extends TaskSource = TaskSource, H = unknown> {
  /** The tasks', errors' and global ids' `vendor`, and the key of a tenant's connection to it. */
  readonly id: Vendor;
  /** The vendor's name for people: error messages, docs. */
  readonly displayName: string;
  /** The constant-case name public APIs use (the GraphQL `Vendor` enum), e.g. `MAX_AI`. */
  readonly publicName: string;
  /** One line on what the vendor is, for API docs. */
  readonly description: string;
  /** The connection config (base URL, credentials, extras): the only place its rules live. */
  readonly config: C;
  /** The config fields holding secrets: a config file may take them from the environment; never shown or logged. */
  readonly secrets: readonly ConfigField<C>[];
  /** The config field whose value the vendor's rate limit counts: connections sharing that value share a budget. */
  readonly credential: ConfigField<C>;
  /** The vendor's published limit per credential; null when it publishes none. */
  readonly rateLimit: PublishedRateLimit | null;
  readonly capabilities: SourceCapabilities;
  /**
   * The vendor's id checks by kind, each returning the canonical form or throwing InvalidInputError (what its client's
   * `canonicalId` uses): a service checks configured ids, such as a listing's scope, before any call.
   */
  readonly canonicalIds?: Partial<Record<IdKind, (id: string) => string>>;
  /** A client for one connection; `http` tunes its transport. Throws VendorNotConfiguredError for a bad config. */
  createClient(options: ConnectionOptions<C, H>): S & { close(): Promise<void> };
}
