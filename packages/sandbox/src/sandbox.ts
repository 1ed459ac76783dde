import { createFaults } from "./faults.ts";
import { DEFAULT_PAGE_TOKEN_TTL_MS } from "./paging.ts";
import { createRequestLog } from "./request-log.ts";
import { startVendorServer, type VendorServer } from "./server.ts";
import type { Simulator } from "./simulator.ts";
import {
  DEFAULT_CREDENTIALS,
  type FaultControl,
  type OpenConnections,
  type ProviderStates,
  type RateLimitOption,
  type RequestLogView,
  type SandboxCredentials,
  VENDORS,
  type Vendor,
} from "./types.ts";
import { type CakewalkSeedIds, createCakewalkSimulator } from "./vendors/cakewalk.ts";
import { type CapySeedIds, createCapySimulator } from "./vendors/capy.ts";
import { createMaxAiSimulator, type MaxAiSeedIds } from "./vendors/maxai.ts";
import { createMaxsightSimulator, type MaxsightSeedIds } from "./vendors/maxsight.ts";

export interface SandboxSeedIds {
  maxai: MaxAiSeedIds;
  cakewalk: CakewalkSeedIds;
  capy: CapySeedIds;
  maxsight: MaxsightSeedIds;
}

/** The vendors that publish a rate limit (1,000 requests per 60 s per key, sliding). */
export type RateLimitedVendor = "maxai" | "cakewalk";

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 or absent: the OS picks a free port. */
  ports?: Partial<Record<Vendor, number>>;
  credentials?: { [V in Vendor]?: Partial<SandboxCredentials[V]> };
  /** Added to every answer of every vendor (a fixed upstream delay, e.g. for benchmarks). */
  latencyMs?: number;
  /** Seed of the generated data (default 1). Same seed, same data. */
  seed?: number;
  /** Clock (ms) for rate-limit windows, created tasks' timestamps and log times. Default Date.now. */
  now?: () => number;
  /** Override a published limit (e.g. `{ limit: 5, windowMs: 60_000 }`) or turn it off with false. */
  rateLimits?: Partial<Record<RateLimitedVendor, RateLimitOption | false>>;
  /** Request-log ring size per vendor (counts stay exact beyond it). Default 10,000. */
  logCapacity?: number;
  /** How long a list page token (Cakewalk, Capy, Maxsight) stays valid, by the `now` clock. Default 15 minutes. */
  pageTokenTtlMs?: number;
}

export interface SandboxVendor<V extends Vendor = Vendor> {
  vendor: V;
  /** Base URL for the client: origin for maxai/cakewalk/maxsight, origin + "/api" for capy. */
  url: string;
  /** `http://host:port`; the `/__sandbox/*` admin routes live here. */
  origin: string;
  port: number;
  credentials: SandboxCredentials[V];
  faults: FaultControl;
  requests: RequestLogView;
  /** Sockets this vendor's server holds open right now (a client that leaks connections shows here). */
  openConnections: OpenConnections;
  /** Pact provider-state handlers (names exactly as in the contracts). */
  states: ProviderStates;
  seed: SandboxSeedIds[V];
  /** This vendor only: seed data back, faults, log and rate-limit windows cleared. */
  reset(): void;
}

export interface Sandbox {
  vendors: { [V in Vendor]: SandboxVendor<V> };
  /** Every vendor back to its seed: data, faults, logs and rate-limit windows. */
  reset(): void;
  close(): Promise<void>;
}

const PUBLISHED_LIMIT: RateLimitOption = { limit: 1000, windowMs: 60_000 };

/** Starts the four vendor simulators on loopback. Startup is a few milliseconds: data is generated in memory. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const pageTokenTtlMs = options.pageTokenTtlMs ?? DEFAULT_PAGE_TOKEN_TTL_MS;
  const credentials = {
    maxai: { ...DEFAULT_CREDENTIALS.maxai, ...options.credentials?.maxai },
    cakewalk: { ...DEFAULT_CREDENTIALS.cakewalk, ...options.credentials?.cakewalk },
    capy: { ...DEFAULT_CREDENTIALS.capy, ...options.credentials?.capy },
    maxsight: { ...DEFAULT_CREDENTIALS.maxsight, ...options.credentials?.maxsight },
  } satisfies SandboxCredentials;
  const limits = (vendor: RateLimitedVendor) => options.rateLimits?.[vendor] ?? PUBLISHED_LIMIT;

  const simulators: { [V in Vendor]: Simulator<SandboxSeedIds[V]> } = {
    maxai: createMaxAiSimulator({ credentials: credentials.maxai, now, rateLimit: limits("maxai"), seed }),
    cakewalk: createCakewalkSimulator({
      credentials: credentials.cakewalk,
      now,
      rateLimit: limits("cakewalk"),
      seed,
      pageTokenTtlMs,
    }),
    capy: createCapySimulator({ credentials: credentials.capy, now, seed, pageTokenTtlMs }),
    maxsight: createMaxsightSimulator({ credentials: credentials.maxsight, now, seed, pageTokenTtlMs }),
  };

  const started: VendorServer[] = [];
  const build = async <V extends Vendor>(vendor: V): Promise<SandboxVendor<V>> => {
    const simulator = simulators[vendor];
    const faults = createFaults();
    const log = createRequestLog(options.logCapacity);
    const reset = () => {
      simulator.reset();
      faults.clear();
      log.clear();
    };
    const server = await startVendorServer({
      simulator,
      faults,
      log,
      host,
      port: options.ports?.[vendor] ?? 0,
      latencyMs: options.latencyMs ?? 0,
      now,
      reset,
    });
    started.push(server);
    return {
      vendor,
      url: vendor === "capy" ? `${server.origin}/api` : server.origin,
      origin: server.origin,
      port: server.port,
      credentials: credentials[vendor],
      faults: { set: faults.set, add: faults.add, clear: faults.clear, list: faults.list },
      requests: { count: log.count, entries: log.entries, clear: log.clear },
      openConnections: server.connections,
      states: simulator.states,
      seed: simulator.seed,
      reset,
    };
  };

  let vendors: Sandbox["vendors"];
  try {
    const [maxai, cakewalk, capy, maxsight] = await Promise.all([
      build("maxai"),
      build("cakewalk"),
      build("capy"),
      build("maxsight"),
    ]);
    vendors = { maxai, cakewalk, capy, maxsight };
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    vendors,
    reset() {
      for (const vendor of VENDORS) vendors[vendor].reset();
    },
    close() {
      closed ??= Promise.all(started.map((s) => s.close())).then(() => undefined);
      return closed;
    },
  };
}
