/** The vendors the sandbox simulates (same names as @taskbridge/model's Vendor; kept local so the sandbox has no workspace deps). */
export const VENDORS = ["maxai", "cakewalk", "capy", "maxsight"] as const;
export type Vendor = (typeof VENDORS)[number];

export interface MaxAiCredentials {
  apiKey: string;
  organizationId: string;
}
export interface CakewalkCredentials {
  apiKey: string;
  apiSecret: string;
}
export interface CapyCredentials {
  token: string;
}
export interface MaxsightCredentials {
  apiKey: string;
}

/** Field names match the client configs, so `{ baseUrl: v.url, ...v.credentials }` works. */
export interface SandboxCredentials {
  maxai: MaxAiCredentials;
  cakewalk: CakewalkCredentials;
  capy: CapyCredentials;
  maxsight: MaxsightCredentials;
}

/** Fixed, printable sandbox values used when no credentials are given. */
export const DEFAULT_CREDENTIALS: SandboxCredentials = {
  maxai: { apiKey: "max_dev_ak_sandbox", organizationId: "org_sandbox" },
  cakewalk: { apiKey: "ck_sandbox_key", apiSecret: "ck_sandbox_secret" },
  capy: { token: "capy_sandbox_token" },
  maxsight: { apiKey: "ms_sandbox_key" },
};

/** Limits which requests something applies to. A string path matches the whole pathname; `:name` matches one segment and a trailing `*` the rest. */
export interface RequestMatch {
  method?: string;
  path?: string | RegExp;
}

/** What to inject; all optional. `*Rate` fields are fractions 0..1 drawn from a seeded PRNG. */
export interface FaultSpec {
  match?: RequestMatch;
  /** Added before answering. */
  latencyMs?: number;
  /** Fraction answered with the vendor's own 5xx envelope. */
  errorRate?: number;
  /** Status of those answers (default 503). */
  errorStatus?: number;
  /** The next `count` matching requests get the vendor's 429 with this Retry-After value (seconds or an HTTP date). */
  rateLimit?: { count: number; retryAfter: string };
  /**
   * Every matching request gets exactly this answer instead of the vendor's (a scripted vendor: an odd-but-valid
   * payload, a header that echoes a credential). `content-length` is set from the body.
   */
  answer?: CannedAnswer;
  /** Connection destroyed (TCP RST) without an answer. */
  resetRate?: number;
  /** Never sends headers; the socket stays open until the client gives up or the sandbox closes. */
  hangRate?: number;
  /** Body sent in small chunks with this pause between them. */
  slowBodyMs?: number;
  /** Headers (with the full Content-Length) and part of the body, then the socket is destroyed. */
  truncateRate?: number;
  /** 200 with a body that is not JSON (the first half of the real body). */
  malformedJsonRate?: number;
  /** 200 with valid JSON that breaks the vendor's schema (ids and statuses of the wrong type, timestamps missing). */
  schemaBreakRate?: number;
  /**
   * The request is fully handled (a POST creates its task), then the connection is destroyed without an answer:
   * the client cannot tell whether it happened. The log entry keeps the status the vendor would have sent.
   */
  lostResponseRate?: number;
  /** Seed of this spec's PRNG (default 1): the same spec and request order give the same faults. */
  seed?: number;
  /**
   * The fault starts after this many matching requests (which pass untouched, without its latency), e.g. to fail a
   * vendor in the middle of paging: `{ match: { path: "/v4/tasks" }, afterRequests: 2, errorRate: 1 }`.
   */
  afterRequests?: number;
}

/** An answer given as it is: status, headers and body text. */
export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface RequestFilter {
  method?: string;
  path?: string | RegExp;
}

/** One request the simulator received (admin `/__sandbox/*` calls are not recorded). */
export interface RequestEntry {
  seq: number;
  /** Clock time (ms) when the request arrived. */
  at: number;
  method: string;
  /** Pathname without the query string. */
  path: string;
  /** Query string without the `?`, or "". */
  query: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Request body as text (only for requests that carry one). */
  body?: string;
  /** Status sent, or 0 while pending and for requests that were reset or left hanging. */
  status: number;
  /** The fault injected into this request, if any. */
  fault?: FaultKind;
}

export type FaultKind =
  | "answer"
  | "rate_limit"
  | "reset"
  | "hang"
  | "error"
  | "truncate"
  | "malformed_json"
  | "schema_break"
  | "slow_body"
  | "lost_response";

/** Sockets a vendor server holds open right now (keep-alive, in-flight and hanging requests). */
export type OpenConnections = () => Promise<number>;

export interface RequestLogView {
  /** Requests received since the last clear (exact, whatever the ring's capacity). */
  count(filter?: RequestFilter): number;
  /** The most recent entries, oldest first (bounded ring). */
  entries(filter?: RequestFilter): RequestEntry[];
  clear(): void;
}

export interface FaultControl {
  /** Replaces the vendor's faults with this one. */
  set(spec: FaultSpec): void;
  /** Adds a fault next to the current ones (each matching fault applies; the first to trigger wins). */
  add(spec: FaultSpec): void;
  clear(): void;
  list(): FaultSpec[];
}

/** Pact provider-state handlers: state name (placeholders literally in the name) → handler. Idempotent. */
export type ProviderStates = Record<string, (params: Record<string, unknown>) => void>;

export interface RateLimitOption {
  limit: number;
  windowMs: number;
}
