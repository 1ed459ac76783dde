import { hash, timingSafeEqual } from "node:crypto";
import type { Vendor } from "@taskbridge/model";
import { z } from "zod";
import { type ServedVendor, VENDORS } from "./vendors.ts";

/** A secret given literally, or as the name of an environment variable that holds it. */
const Secret = z.union(
  [
    z.string().min(1, "missing"),
    z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name") }).strict(),
  ],
  { error: (issue) => (issue.input === undefined ? "missing" : 'a string, or { "env": "VARIABLE_NAME" }') },
);
type Secret = z.infer<typeof Secret>;

const HttpOptions = z
  .object({
    timeouts: z
      .object({
        connectMs: z.number().int().positive(),
        headersMs: z.number().int().positive(),
        bodyMs: z.number().int().positive(),
        totalMs: z.number().int().positive(),
      })
      .partial()
      .strict()
      .optional(),
    /** Connection cap of the pool to the vendor. */
    connections: z.number().int().min(1).max(1024).optional(),
  })
  .strict();

/** Taskbridge's own budget for the connection's credential, or false for none (default: the vendor's published limit). */
const RateLimit = z.union([
  z.literal(false),
  z.object({ limit: z.number().int().min(1), windowMs: z.number().int().min(1_000) }).strict(),
]);

/**
 * The id a listing of this vendor is scoped to when the caller names none (Cakewalk: a user, Capy: a project;
 * `capabilities.list.scope`). Only for vendors whose listings take one; its form is the vendor's to check.
 */
function listScope(vendor: ServedVendor) {
  const scope = vendor.capabilities.list?.scope;
  return scope
    ? z.string().trim().min(1).max(200).optional()
    : z.undefined({ error: `${vendor.displayName} lists tasks without a scope` }).optional();
}

/**
 * A connection as the file gives it: the vendor's own config schema, where each secret field may also be an
 * `{ "env": … }` reference (checked against the vendor's rule once resolved), plus the options every connection has.
 */
function fileConnection(vendor: ServedVendor) {
  const shape = vendor.config.shape;
  const secrets = Object.fromEntries(
    vendor.secrets.map((field) => [field, shape[field]?.safeParse(undefined).success ? Secret.optional() : Secret]),
  );
  return vendor.config
    .extend({ ...secrets, http: HttpOptions.optional(), rateLimit: RateLimit.optional(), listScope: listScope(vendor) })
    .strict();
}

const Connections = z
  .object(Object.fromEntries(VENDORS.map((vendor) => [vendor.id, fileConnection(vendor).optional()])))
  .strict();

const TenantConfig = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lowercase letters, digits, '-' and '_'"),
    name: z.string().min(1).optional(),
    /** Plain API keys callers send as `Authorization: Bearer <key>`. */
    apiKeys: z.array(Secret).optional(),
    /** SHA-256 (hex) of API keys, so a config file need not hold the keys themselves. */
    apiKeySha256: z.array(z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits")).optional(),
    connections: Connections,
  })
  .strict()
  .refine((t) => (t.apiKeys?.length ?? 0) + (t.apiKeySha256?.length ?? 0) > 0, {
    message: "a tenant needs at least one API key (apiKeys or apiKeySha256)",
    // Also when other fields are wrong, so one run reports every problem.
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
  });

/** The config file: `{ "tenants": [ … ] }`. */
export const TaskbridgeConfig = z
  .object({ $schema: z.string().optional(), tenants: z.array(TenantConfig).min(1) })
  .strict()
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.tenants.forEach((tenant, i) => {
      if (ids.has(tenant.id))
        ctx.addIssue({ code: "custom", path: ["tenants", i, "id"], message: "duplicate tenant id" });
      ids.add(tenant.id);
    });
  });
export type TaskbridgeConfigInput = z.input<typeof TaskbridgeConfig>;

type ParsedTenant = z.infer<typeof TenantConfig>;
type HttpOptions = z.infer<typeof HttpOptions>;
export type RateLimitSetting = z.infer<typeof RateLimit>;

/** A vendor connection as the vendor's schema resolved it (secrets included), plus the common options. */
export type Connection = Record<string, unknown> & {
  http?: HttpOptions;
  rateLimit?: RateLimitSetting;
  /** The default scope of a task listing (a Cakewalk user id, a Capy project id). */
  listScope?: string;
};

/** A tenant's connections, by vendor id. */
export type Connections = Partial<Record<Vendor, Connection>>;

export interface ResolvedTenant {
  id: string;
  name: string;
  /** SHA-256 digests of every key of this tenant. */
  keyDigests: Buffer[];
  connections: Connections;
}

export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`invalid Taskbridge configuration:\n  - ${issues.join("\n  - ")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/**
 * Validates a config object and resolves `{ "env": "NAME" }` secrets through `lookupEnv`.
 * Reports every problem at once; messages name paths, never values.
 */
export function resolveConfig(input: unknown, lookupEnv: (name: string) => string | undefined): ResolvedTenant[] {
  const parsed = TaskbridgeConfig.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`));
  }
  const issues: string[] = [];
  const resolve = (secret: Secret, at: string): string => {
    if (typeof secret === "string") return secret;
    const value = lookupEnv(secret.env);
    if (value === undefined || value === "") issues.push(`${at}: environment variable ${secret.env} is not set`);
    return value ?? "";
  };
  const tenants = parsed.data.tenants.map((tenant, i) => resolveTenant(tenant, `tenants.${i}`, resolve, issues));
  const seen = new Map<string, string>();
  for (const tenant of tenants) {
    for (const digest of tenant.keyDigests) {
      const hex = digest.toString("hex");
      const other = seen.get(hex);
      if (other !== undefined && other !== tenant.id) issues.push(`tenants ${other} and ${tenant.id} share an API key`);
      seen.set(hex, tenant.id);
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return tenants;
}

function resolveTenant(
  tenant: ParsedTenant,
  at: string,
  resolve: (s: Secret, at: string) => string,
  issues: string[],
): ResolvedTenant {
  const keys = (tenant.apiKeys ?? []).map((key, i) => digestKey(resolve(key, `${at}.apiKeys.${i}`)));
  const hashed = (tenant.apiKeySha256 ?? []).map((hex) => Buffer.from(hex, "hex"));
  const connections: Connections = {};
  for (const vendor of VENDORS) {
    const given = tenant.connections[vendor.id] as Record<string, unknown> | undefined;
    if (!given) continue;
    const where = `${at}.connections.${vendor.id}`;
    const { http, rateLimit, listScope, ...fields } = given as Connection;
    const reported = issues.length;
    for (const field of vendor.secrets) {
      if (fields[field] !== undefined) fields[field] = resolve(fields[field] as Secret, `${where}.${field}`);
    }
    if (issues.length > reported) continue; // a variable is not set: said once, not again as "missing"
    // The vendor's schema checks the secrets too, now that they have their values (literal or from the environment).
    const checked = vendor.config.safeParse(fields);
    if (!checked.success) {
      for (const issue of checked.error.issues) issues.push(`${[where, ...issue.path].join(".")}: ${issue.message}`);
      continue;
    }
    connections[vendor.id] = {
      ...checked.data,
      ...(http === undefined ? {} : { http }),
      ...(rateLimit === undefined ? {} : { rateLimit }),
      ...(listScope === undefined ? {} : { listScope }),
    };
  }
  return { id: tenant.id, name: tenant.name ?? tenant.id, keyDigests: [...keys, ...hashed], connections };
}

export function digestKey(key: string): Buffer {
  // One-shot hash: no Hash object per request.
  return hash("sha256", key, "buffer");
}

/** Every secret value in a tenant's connections (the descriptors' `secrets`), so log output can be checked and scrubbed. */
export function connectionSecrets(connections: Connections): string[] {
  return VENDORS.flatMap((vendor) => {
    const connection = connections[vendor.id];
    if (!connection) return [];
    return vendor.secrets
      .map((field) => connection[field])
      .filter((value) => typeof value === "string" && value !== "");
  }) as string[];
}

/**
 * An index from key digest to tenant, built once at startup. Looking a key up hashes it once (SHA-256) and finds
 * the digest in a Map, then confirms the stored digest with timingSafeEqual. Still constant-time with respect to
 * the secret: the Map is keyed by digests, so the lookup's timing depends only on the SHA-256 of what the caller
 * sent (which they already know), never on how close it is to a real key; comparing against every key instead
 * (as findTenant once did) cost 256 timingSafeEqual calls per request for a 256-key tenant.
 */
export function tenantIndex<T extends { keyDigests: readonly Buffer[] }>(
  tenants: readonly T[],
): (presentedKey: string) => T | undefined {
  const byDigest = new Map<string, { digest: Buffer; tenant: T }>();
  for (const tenant of tenants) {
    for (const digest of tenant.keyDigests) {
      // The first tenant holding a digest wins, as before (resolveConfig refuses shared keys anyway).
      const key = digest.toString("base64");
      if (!byDigest.has(key)) byDigest.set(key, { digest, tenant });
    }
  }
  return (presentedKey) => {
    const digest = digestKey(presentedKey);
    const found = byDigest.get(digest.toString("base64"));
    return found && found.digest.length === digest.length && timingSafeEqual(found.digest, digest)
      ? found.tenant
      : undefined;
  };
}

/** Finds the tenant whose key matches (see tenantIndex; build the index once when looking up per request). */
export function findTenant<T extends { keyDigests: readonly Buffer[] }>(
  tenants: readonly T[],
  presentedKey: string,
): T | undefined {
  return tenantIndex(tenants)(presentedKey);
}

/** Reads `Authorization: Bearer <key>`; undefined when absent or malformed. */
export function bearerKey(header: string | null | undefined): string | undefined {
  if (!header || header.length > 1024) return undefined;
  const match = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(header);
  return match?.[1];
}
