import { hash, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** A secret given literally, or as the name of an environment variable that holds it. */
const Secret = z.union([
  z.string().min(1),
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name") }).strict(),
]);
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

const BaseUrl = z.url({ protocol: /^https?$/ });

/** Taskbridge's own budget for the connection's credential, or false for none (default: the vendor's published limit). */
const RateLimit = z.union([
  z.literal(false),
  z.object({ limit: z.number().int().min(1), windowMs: z.number().int().min(1_000) }).strict(),
]);

const MaxAiConnection = z
  .object({
    baseUrl: BaseUrl.optional(),
    apiKey: Secret,
    organizationId: z.string().min(1),
    http: HttpOptions.optional(),
    rateLimit: RateLimit.optional(),
  })
  .strict();
const CakewalkConnection = z
  .object({
    baseUrl: BaseUrl.optional(),
    apiKey: Secret,
    apiSecret: Secret.optional(),
    http: HttpOptions.optional(),
    rateLimit: RateLimit.optional(),
  })
  .strict();
const CapyConnection = z
  .object({ baseUrl: BaseUrl.optional(), token: Secret, http: HttpOptions.optional(), rateLimit: RateLimit.optional() })
  .strict();
const MaxsightConnection = z
  .object({
    region: z.enum(["us", "eu", "ae"]).optional(),
    baseUrl: BaseUrl.optional(),
    apiKey: Secret,
    http: HttpOptions.optional(),
    rateLimit: RateLimit.optional(),
  })
  .strict();

const Connections = z
  .object({
    maxai: MaxAiConnection.optional(),
    cakewalk: CakewalkConnection.optional(),
    capy: CapyConnection.optional(),
    maxsight: MaxsightConnection.optional(),
  })
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

/** Connections with every secret resolved to its value. */
export interface Connections {
  maxai?: {
    baseUrl?: string;
    apiKey: string;
    organizationId: string;
    http?: HttpOptions;
    rateLimit?: RateLimitSetting;
  };
  cakewalk?: { baseUrl?: string; apiKey: string; apiSecret?: string; http?: HttpOptions; rateLimit?: RateLimitSetting };
  capy?: { baseUrl?: string; token: string; http?: HttpOptions; rateLimit?: RateLimitSetting };
  maxsight?: {
    region?: "us" | "eu" | "ae";
    baseUrl?: string;
    apiKey: string;
    http?: HttpOptions;
    rateLimit?: RateLimitSetting;
  };
}

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
  const tenants = parsed.data.tenants.map((tenant, i) => resolveTenant(tenant, `tenants.${i}`, resolve));
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

function resolveTenant(tenant: ParsedTenant, at: string, resolve: (s: Secret, at: string) => string): ResolvedTenant {
  const keys = (tenant.apiKeys ?? []).map((key, i) => digestKey(resolve(key, `${at}.apiKeys.${i}`)));
  const hashed = (tenant.apiKeySha256 ?? []).map((hex) => Buffer.from(hex, "hex"));
  const c = tenant.connections;
  const connections: Connections = {};
  if (c.maxai) {
    connections.maxai = { ...c.maxai, apiKey: resolve(c.maxai.apiKey, `${at}.connections.maxai.apiKey`) };
  }
  if (c.cakewalk) {
    const { apiSecret, ...rest } = c.cakewalk;
    connections.cakewalk = { ...rest, apiKey: resolve(c.cakewalk.apiKey, `${at}.connections.cakewalk.apiKey`) };
    if (apiSecret !== undefined) {
      connections.cakewalk.apiSecret = resolve(apiSecret, `${at}.connections.cakewalk.apiSecret`);
    }
  }
  if (c.capy) connections.capy = { ...c.capy, token: resolve(c.capy.token, `${at}.connections.capy.token`) };
  if (c.maxsight) {
    connections.maxsight = { ...c.maxsight, apiKey: resolve(c.maxsight.apiKey, `${at}.connections.maxsight.apiKey`) };
  }
  return { id: tenant.id, name: tenant.name ?? tenant.id, keyDigests: [...keys, ...hashed], connections };
}

export function digestKey(key: string): Buffer {
  // One-shot hash: no Hash object per request.
  return hash("sha256", key, "buffer");
}

/** Every credential value in a tenant's connections, so log output can be checked and scrubbed. */
export function connectionSecrets(connections: Connections): string[] {
  const out: string[] = [];
  if (connections.maxai) out.push(connections.maxai.apiKey);
  if (connections.cakewalk)
    out.push(connections.cakewalk.apiKey, ...(connections.cakewalk.apiSecret ? [connections.cakewalk.apiSecret] : []));
  if (connections.capy) out.push(connections.capy.token);
  if (connections.maxsight) out.push(connections.maxsight.apiKey);
  return out;
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
