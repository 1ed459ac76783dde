import { RedisStore } from "@taskbridge/http";
import { VendorError } from "@taskbridge/model";
import { createTenantSources } from "./sources.ts";
import type { ResolvedTenant } from "./tenants.ts";

/** A task id every vendor accepts as an id and none has: reading it is a cheap, authenticated round trip. */
const PROBE_ID = "00000000-0000-4000-8000-000000000000";
/** Transport failures by what they say about the connection. */
const NAME_RESOLUTION = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME"]);
const UNREACHABLE = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"]);

export interface ConnectionReport {
  tenant: string;
  vendor: string;
  ok: boolean;
  /** What was found, for a person: "credentials accepted", "name resolution failed (ENOTFOUND)", … */
  finding: string;
}

/**
 * Probes every configured vendor connection at once, the way a request would reach it: one read of a task that
 * cannot exist, through the connection's own client (so its base URL, region, credentials and timeouts), with no
 * retries. That one call resolves the host's name, makes the TLS handshake and shows whether the vendor accepts
 * the credentials (a 404 does; 401 and 403 do not). Every failure is reported, not just the first.
 */
export async function checkConnections(
  tenants: readonly ResolvedTenant[],
  options: { timeoutMs?: number } = {},
): Promise<ConnectionReport[]> {
  const totalMs = options.timeoutMs ?? 5_000;
  const probes = tenants.map(async (tenant) => {
    const { sources, close } = createTenantSources(tenant.id, tenant.connections, {});
    try {
      return await Promise.all(
        [...sources].map(async ([vendor, source]) => {
          const signal = AbortSignal.timeout(totalMs);
          try {
            await source.getTask(PROBE_ID, { signal });
            return { tenant: tenant.id, vendor, ok: true, finding: "reachable, credentials accepted" };
          } catch (error) {
            return { tenant: tenant.id, vendor, ...judge(error) };
          }
        }),
      );
    } finally {
      await close();
    }
  });
  return (await Promise.all(probes)).flat();
}

/**
 * Probes the shared store (TASKBRIDGE_REDIS_URL) the way the service reaches it: connect (name resolution, TLS,
 * AUTH) and PING. Its report is for every tenant: rate budgets and idempotency records of all of them live there.
 */
export async function checkSharedStore(
  redisUrl: string,
  options: { timeoutMs?: number } = {},
): Promise<ConnectionReport> {
  const store = new RedisStore({ redis: redisUrl, timeoutMs: options.timeoutMs ?? 5_000 });
  const report = { tenant: "all tenants", vendor: "redis" };
  try {
    await store.ping();
    return { ...report, ok: true, finding: "reachable, PING answered" };
  } catch (error) {
    return { ...report, ok: false, finding: judgeRedis(error, redisUrl) };
  } finally {
    await store.close();
  }
}

function judgeRedis(error: unknown, redisUrl: string): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code && NAME_RESOLUTION.has(code)) return `name resolution failed (${code})`;
  if (code && UNREACHABLE.has(code)) return `cannot connect (${code})`;
  if (/WRONGPASS|NOAUTH|invalid password/i.test(message ?? "")) return "Redis rejected the credentials";
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  // The URL's password never reaches the report, whatever the client put in its message.
  const password = new URL(redisUrl).password;
  const text = (message ?? String(error)).split("\n")[0] ?? "";
  return `failed: ${password ? text.replaceAll(decodeURIComponent(password), "[redacted]") : text}`;
}

function judge(error: unknown): { ok: boolean; finding: string } {
  if (!(error instanceof VendorError)) {
    return { ok: false, finding: `failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
  switch (error.kind) {
    case "bad_request":
      // It answered, after checking the credentials: the probe id is simply not one it likes.
      return { ok: true, finding: `reachable, credentials accepted${status}` };
    case "unauthorized":
      return { ok: false, finding: `the vendor rejected the credentials${status}` };
    case "forbidden":
      return { ok: false, finding: `the credentials may not read tasks${status}` };
    case "not_configured":
      return { ok: false, finding: `not configured: ${error.message}` };
    case "contract_violation":
      // The probe's 404 was not the vendor's own not-found answer: something else answers at that URL.
      if (error.status === 404)
        return { ok: false, finding: "the base URL does not lead to the vendor's API (HTTP 404)" };
      return { ok: false, finding: `contract violation${status}` };
    case "timeout":
      return { ok: false, finding: `no answer in time (${error.detail ?? "timeout"})` };
    case "network": {
      const code = error.detail ?? "network error";
      if (NAME_RESOLUTION.has(code)) return { ok: false, finding: `name resolution failed (${code})` };
      if (UNREACHABLE.has(code)) return { ok: false, finding: `cannot connect (${code})` };
      return { ok: false, finding: `TLS or transport failure (${code})` };
    }
    default:
      return { ok: false, finding: `${error.kind.replace("_", " ")}${status}` };
  }
}

/** The reports as lines for a terminal, failures marked. */
export function describeReports(reports: readonly ConnectionReport[]): string {
  return reports.map((r) => `${r.ok ? "ok  " : "FAIL"}  ${r.tenant} / ${r.vendor}: ${r.finding}`).join("\n");
}
