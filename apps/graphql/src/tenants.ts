import { hash, timingSafeEqual } from "node:crypto";
import { InvalidInputError, type Vendor } from "@taskbridge/model";
import { z } from "zod";
import { CallerKey } from "./caller-key.ts";
import { type ServedVendor, VENDORS } from "./vendors.ts";

type LookupEnv = (name: string) => string | undefined;

/** A secret given literally, or as the name of an environment variable that holds it. */
const SecretRef = z.union(
  [
    z.string().min(1, "missing"),
    z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name") }).strict(),
  ],
  { error: (issue) => (issue.input === undefined ? "missing" : 'a string, or { "env": "VARIABLE_NAME" }') },
);

/**
 * A secret field: resolved through `lookupEnv`, then checked by `rule` (its vendor's rule, or what a caller key may
 * be). Both happen inside the schema, so an unset variable or a bad secret is reported with every other problem.
 */
function secret<T>(rule: z.ZodType<T, string | undefined>, lookupEnv: LookupEnv) {
  // An optional field stays optional; its rule then applies its own default.
  const given = rule.safeParse(undefined).success ? SecretRef.optional() : SecretRef;
  return given
    .transform((ref, ctx) => {
      if (ref === undefined || typeof ref === "string") return ref;
      const value = lookupEnv(ref.env);
      if (value !== undefined && value !== "") return value;
      // Said once: the rule does not run to call it "missing" again.
      ctx.issues.push({ code: "custom", message: `environment variable ${ref.env} is not set`, input: ref });
      return z.NEVER;
    })
    .pipe(rule);
}

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

/** The kind of id a listing's scope is (`capabilities.list.scope`). */
const SCOPE_KINDS = { user: "person", project: "project" } as const;

/**
 * The id a listing of this vendor is scoped to when the caller names none (Cakewalk: a user, Capy: a project;
 * `capabilities.list.scope`). Only for vendors whose listings take one, checked by the vendor's own id rule when it
 * has one for that kind: a malformed scope is a config error at start-up, not a refusal of every page.
 */
function listScope(vendor: ServedVendor) {
  const scope = vendor.capabilities.list?.scope;
  if (!scope) return z.undefined({ error: `${vendor.displayName} lists tasks without a scope` }).optional();
  const check = vendor.canonicalIds?.[SCOPE_KINDS[scope]];
  return z
    .string()
    .trim()
    .min(1)
    .max(200)
    .superRefine((id, ctx) => {
      try {
        check?.(id);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        ctx.addIssue({
          code: "custom",
          message: `a ${vendor.displayName} ${scope} id: ${error.message.replace(/^[^:]*: /, "")}`,
        });
      }
    })
    .optional();
}

/**
 * A connection as the file gives it: the vendor's own config schema, where each secret field may also be an
 * `{ "env": … }` reference (checked against the vendor's rule once resolved), plus the options every connection has.
 */
function fileConnection(vendor: ServedVendor, lookupEnv: LookupEnv) {
  const shape = vendor.config.shape;
  const secrets = Object.fromEntries(
    vendor.secrets.flatMap((field) => (shape[field] ? [[field, secret(shape[field], lookupEnv)]] : [])),
  );
  return vendor.config
    .extend({ ...secrets, http: HttpOptions.optional(), rateLimit: RateLimit.optional(), listScope: listScope(vendor) })
    .strict();
}

function tenantConfig(lookupEnv: LookupEnv) {
  const connections = Object.fromEntries(
    VENDORS.map((vendor) => [vendor.id, fileConnection(vendor, lookupEnv).optional()]),
  );
  return z
    .object({
      id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lowercase letters, digits, '-' and '_'"),
      name: z.string().min(1).optional(),
      /** Plain API keys callers send as `Authorization: Bearer <key>`. */
      apiKeys: z.array(secret(CallerKey, lookupEnv)).optional(),
      /** SHA-256 (hex) of API keys, so a config file need not hold the keys themselves. */
      apiKeySha256: z.array(z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits")).optional(),
      connections: z.object(connections).strict(),
    })
    .strict()
    .refine((t) => (t.apiKeys?.length ?? 0) + (t.apiKeySha256?.length ?? 0) > 0, {
      message: "a tenant needs at least one API key (apiKeys or apiKeySha256)",
      // Also when other fields are wrong, so one run reports every problem.
      when: (payload) => typeof payload.value === "object" && payload.value !== null,
    });
}

/**
 * The config file, `{ "tenants": [ … ] }`, validated and with its `{ "env": "NAME" }` secrets resolved through
 * `lookupEnv`: one parse reports every problem.
 */
export function taskbridgeConfig(lookupEnv: LookupEnv) {
  return z
    .object({ $schema: z.string().optional(), tenants: z.array(tenantConfig(lookupEnv)).min(1) })
    .strict()
    .superRefine(uniqueIdsAndKeys, {
      // Also when some tenant has other problems: one run reports every problem.
      when: (payload) => Array.isArray((payload.value as { tenants?: unknown } | undefined)?.tenants),
    });
}
export type TaskbridgeConfigInput = z.input<ReturnType<typeof taskbridgeConfig>>;

/**
 * No two tenants share an id or an API key. Runs also when a tenant has other problems, so what it reads may be
 * only partly parsed: it compares the ids and keys that are strings.
 */
function uniqueIdsAndKeys(config: { tenants: readonly unknown[] }, ctx: z.RefinementCtx) {
  const ids = new Set<string>();
  const keyOwners = new Map<string, string>();
  config.tenants.forEach((tenant, i) => {
    const { id, apiKeys, apiKeySha256 } = (tenant ?? {}) as Record<string, unknown>;
    if (typeof id !== "string") return;
    if (ids.has(id)) ctx.addIssue({ code: "custom", path: ["tenants", i, "id"], message: "duplicate tenant id" });
    ids.add(id);
    const strings = (list: unknown) => (Array.isArray(list) ? list.filter((v) => typeof v === "string") : []);
    const digests = [...strings(apiKeys).map((key) => digestKey(key).toString("hex")), ...strings(apiKeySha256)];
    for (const digest of new Set(digests)) {
      const other = keyOwners.get(digest);
      if (other !== undefined && other !== id) {
        ctx.addIssue({ code: "custom", path: ["tenants", i], message: `tenants ${other} and ${id} share an API key` });
      }
      keyOwners.set(digest, id);
    }
  });
}

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
export function resolveConfig(input: unknown, lookupEnv: LookupEnv): ResolvedTenant[] {
  const parsed = taskbridgeConfig(lookupEnv).safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`));
  }
  return parsed.data.tenants.map((tenant) => ({
    id: tenant.id,
    name: tenant.name ?? tenant.id,
    keyDigests: [
      ...(tenant.apiKeys ?? []).map((key) => digestKey(key)),
      ...(tenant.apiKeySha256 ?? []).map((hex) => Buffer.from(hex, "hex")),
    ],
    connections: tenant.connections as Connections,
  }));
}

export function digestKey(key: string): Buffer {
  // One-shot hash: no Hash object per request.
  return hash("sha256", key, "buffer");
}

/** Every secret value in a tenant's connections (the descriptors' `secrets`), so log output can be checked and scrubbed. */
export function connectionSecrets(connections: Connections): string[] {
  return VENDORS.flatMap((vendor) => {
    const connection = connections[vendor.id];
    return connection ? secretValues(vendor, connection) : [];
  });
}

/** The values of one connection's secret fields, as its vendor's descriptor names them. */
export function secretValues(vendor: ServedVendor, connection: Connection): string[] {
  return vendor.secrets
    .map((field) => connection[field])
    .filter((value): value is string => typeof value === "string" && value !== "");
}

/**
 * An index from key digest to tenant, built once at startup. Looking a key up hashes it once (SHA-256) and finds
 * the digest in a Map, then confirms the stored digest with timingSafeEqual. Still constant-time with respect to
 * the secret: the Map is keyed by digests, so the lookup's timing depends only on the SHA-256 of what the caller
 * sent (which they already know), never on how close it is to a real key.
 */
export function tenantIndex<T extends { keyDigests: readonly Buffer[] }>(
  tenants: readonly T[],
): (presentedKey: string) => T | undefined {
  const byDigest = new Map<string, { digest: Buffer; tenant: T }>();
  for (const tenant of tenants) {
    for (const digest of tenant.keyDigests) {
      // The first tenant holding a digest wins (resolveConfig refuses shared keys anyway).
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

/** Reads `Authorization: Bearer <key>`; undefined when absent or malformed. */
export function bearerKey(header: string | null | undefined): string | undefined {
  if (!header || header.length > 1024) return undefined;
  const match = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(header);
  return match?.[1];
}
