import type { Policy } from "@taskbridge/http";
import type { TaskSource, Vendor } from "@taskbridge/model";
import { createCakewalkClient } from "@taskbridge/vendor-cakewalk";
import { createCapyClient } from "@taskbridge/vendor-capy";
import { createMaxAiClient } from "@taskbridge/vendor-maxai";
import { createMaxsightClient } from "@taskbridge/vendor-maxsight";
import type { Dispatcher } from "undici";
import type { Connections } from "./tenants.ts";

export type ClosableSource<V extends Vendor> = TaskSource<V> & { close(): Promise<void> };
export type TenantSources = { [V in Vendor]?: ClosableSource<V> };

export interface SourceOptions {
  /**
   * Reliability policies (rate budget, breaker, retries) for one vendor connection of one tenant.
   * The seam for the reliability issue; none by default.
   */
  policies?: (tenantId: string, vendor: Vendor) => readonly Policy[];
  /** Shared undici dispatcher instead of one pool per client (tests, proxies). */
  dispatcher?: Dispatcher;
  /**
   * Wraps each client once at startup (instrumentation, caching, or a test that needs a vendor which sends
   * assignee ids without the people). Must return an object for the same vendor.
   */
  decorate?: <V extends Vendor>(tenantId: string, source: ClosableSource<V>) => ClosableSource<V>;
}

/**
 * Builds one client per configured vendor connection of a tenant. Called once per tenant at startup:
 * clients own connection pools, so requests never create them.
 */
export function createTenantSources(tenantId: string, connections: Connections, options: SourceOptions = {}) {
  const http = (vendor: Vendor, own: { timeouts?: object; connections?: number } | undefined) => ({
    ...(own?.timeouts ? { timeouts: own.timeouts } : {}),
    ...(own?.connections ? { connections: own.connections } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    policies: options.policies?.(tenantId, vendor) ?? [],
  });
  const sources: TenantSources = {};
  const { maxai, cakewalk, capy, maxsight } = connections;
  if (maxai) {
    sources.maxai = createMaxAiClient({
      apiKey: maxai.apiKey,
      organizationId: maxai.organizationId,
      ...(maxai.baseUrl ? { baseUrl: maxai.baseUrl } : {}),
      http: http("maxai", maxai.http),
    });
  }
  if (cakewalk) {
    sources.cakewalk = createCakewalkClient({
      apiKey: cakewalk.apiKey,
      ...(cakewalk.apiSecret ? { apiSecret: cakewalk.apiSecret } : {}),
      ...(cakewalk.baseUrl ? { baseUrl: cakewalk.baseUrl } : {}),
      http: http("cakewalk", cakewalk.http),
    });
  }
  if (capy) {
    sources.capy = createCapyClient({
      token: capy.token,
      ...(capy.baseUrl ? { baseUrl: capy.baseUrl } : {}),
      http: http("capy", capy.http),
    });
  }
  if (maxsight) {
    sources.maxsight = createMaxsightClient({
      apiKey: maxsight.apiKey,
      ...(maxsight.region ? { region: maxsight.region } : {}),
      ...(maxsight.baseUrl ? { baseUrl: maxsight.baseUrl } : {}),
      http: http("maxsight", maxsight.http),
    });
  }
  if (options.decorate) {
    const decorate = options.decorate;
    const wrap = <V extends Vendor>(source: ClosableSource<V> | undefined) =>
      source ? decorate(tenantId, source) : undefined;
    const decorated: TenantSources = {};
    if (sources.maxai) decorated.maxai = wrap(sources.maxai);
    if (sources.cakewalk) decorated.cakewalk = wrap(sources.cakewalk);
    if (sources.capy) decorated.capy = wrap(sources.capy);
    if (sources.maxsight) decorated.maxsight = wrap(sources.maxsight);
    return { sources: decorated, close: () => closeAll(decorated) };
  }
  return { sources, close: () => closeAll(sources) };
}

async function closeAll(sources: TenantSources): Promise<void> {
  await Promise.allSettled(Object.values(sources).map((source) => source.close()));
}
