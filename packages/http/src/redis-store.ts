import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { Redis, ReplyError } from "ioredis";
import { untilAborted } from "./sleep.ts";
import type { ClaimResult, RateWindowResult, SharedStore } from "./store.ts";

// Each script runs atomically in Redis. Time comes from the Redis server (TIME), so instances whose clocks
// disagree still share one window. Every script first checks the command's deadline (ARGV[1], in Redis's clock):
// a command that reaches Redis after it, because Redis was frozen or the command sat in a socket buffer, does
// nothing. The store gives up on a command only after its deadline, so a command it gave up on never runs later.
const FENCE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > tonumber(ARGV[1]) then return redis.error_reply('LATE the command reached Redis after its deadline') end
`;

const RATE_WINDOW = `${FENCE}
local key, limit, window, member = KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
  return {1, 0, limit - count - 1}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local wait = window
if oldest[2] then wait = tonumber(oldest[2]) + window - now end
if wait < 1 then wait = 1 end
return {0, wait, 0}
`;

const CLAIM = `${FENCE}
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'result', 'claimedAt')
end
redis.call('HSET', KEYS[1], 'state', 'pending', 'fingerprint', ARGV[2], 'claimedAt', now, 'owner', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return false
`;

// Withdraws a claim whose answer was lost (its owner never started the work): only that owner's, only pending.
const WITHDRAW = `${FENCE}
if redis.call('HGET', KEYS[1], 'owner') == ARGV[2] and redis.call('HGET', KEYS[1], 'state') == 'pending' then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

const FINISH = `${FENCE}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'result') else redis.call('HSET', KEYS[1], 'result', ARGV[3]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

const RELEASE = `${FENCE}
return redis.call('DEL', KEYS[1])
`;

// ioredis loads each script once (EVALSHA, with EVAL when Redis does not have it cached yet).
const SCRIPTS = {
  taskbridgeRateWindow: RATE_WINDOW,
  taskbridgeClaim: CLAIM,
  taskbridgeFinish: FINISH,
  taskbridgeRelease: RELEASE,
  taskbridgeWithdraw: WITHDRAW,
} as const;
type ScriptName = keyof typeof SCRIPTS;
type Scripts = Record<ScriptName, (key: string, deadline: number, ...args: Array<string | number>) => Promise<unknown>>;

/** How long after its deadline the store still waits for a command's answer (the answer's way back). */
const ANSWER_GRACE_MS = 100;
/** First wait before withdrawing lost claims again (doubling up to 5 s while Redis is unreachable). */
const WITHDRAW_RETRY_MS = 200;

export interface RedisStoreOptions {
  /** An ioredis client the caller owns (not closed by close()), or a redis:// URL for a client this store owns. */
  redis: Redis | string;
  /** Prepended to every key (default "taskbridge:"), so several apps can share a Redis. */
  prefix?: string;
  /**
   * A command Redis has not run within this long after it was sent does nothing (default 400); the store's promise
   * rejects when no answer came ANSWER_GRACE_MS (100 ms) after that.
   */
  timeoutMs?: number;
  /** Connection errors of an owned client (commands also reject on their own). */
  onError?(error: unknown): void;
  /**
   * Claims whose answer was lost kept at most for withdrawing (default 10,000); past it claims are refused unsent, as
   * a Redis that answers none of them would only add more.
   */
  maxLost?: number;
}

/**
 * The SharedStore for many instances: Redis, with one Lua script per operation so each is atomic, each fenced by
 * a deadline so a command the store gave up on never runs later. An owned client keeps no offline queue and does
 * not resend unanswered commands after a reconnect: while Redis is unreachable, commands fail at once. A claim whose
 * answer was lost (Redis died or froze after running it) is withdrawn once Redis answers again, so a claim that
 * failed for its caller does not hold the key.
 */
export class RedisStore implements SharedStore {
  readonly #redis: Redis;
  readonly #scripts: Scripts;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #maxLost: number;
  /** Redis's clock minus ours, measured on each connection: deadlines are written in Redis's clock. */
  #offsetMs = 0;
  /** Claims whose answer was lost: owner token → key. */
  readonly #lost = new Map<string, string>();
  #withdrawing: NodeJS.Timeout | undefined;
  #withdrawWaitMs = WITHDRAW_RETRY_MS;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    this.#owned = typeof options.redis === "string";
    this.#redis =
      typeof options.redis === "string"
        ? new Redis(options.redis, {
            maxRetriesPerRequest: 1,
            connectTimeout: 2_000,
            lazyConnect: true,
            enableOfflineQueue: false,
            autoResendUnfulfilledCommands: false,
          })
        : options.redis;
    for (const [name, lua] of Object.entries(SCRIPTS)) this.#redis.defineCommand(name, { numberOfKeys: 1, lua });
    this.#scripts = this.#redis as unknown as Scripts;
    this.#prefix = options.prefix ?? "taskbridge:";
    this.#timeoutMs = options.timeoutMs ?? 400;
    this.#maxLost = options.maxLost ?? 10_000;
    this.#redis.on("ready", () => void this.#syncClock());
    // Without a listener ioredis prints every reconnect failure to stderr.
    if (this.#owned) this.#redis.on("error", (error: unknown) => options.onError?.(error));
  }

  async rateWindow(key: string, limit: number, windowMs: number): Promise<RateWindowResult> {
    const reply = (await this.#run("taskbridgeRateWindow", `${this.#prefix}rate:${key}`, [
      limit,
      windowMs,
      randomUUID(),
    ])) as [number, number, number];
    return { allowed: reply[0] === 1, retryAfterMs: Number(reply[1]), remaining: Number(reply[2]) };
  }

  /** Claims whose answer was lost, not withdrawn yet. */
  get lostClaims(): number {
    return this.#lost.size;
  }

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult> {
    if (this.#lost.size >= this.#maxLost) {
      throw new Error(`redis: ${this.#lost.size} claims whose answers were lost are not withdrawn yet; none is sent`);
    }
    const owner = randomUUID();
    let sent = false;
    let reply: Array<string | null> | null;
    try {
      const args = [fingerprint, ttlMs, owner];
      reply = (await this.#run("taskbridgeClaim", this.#idem(key), args, () => (sent = true))) as typeof reply;
    } catch (error) {
      // Unsent, or a reply error (LATE included): the script did nothing. Any other failure leaves it unknown.
      if (sent && !(error instanceof ReplyError)) this.#withdrawLater(key, owner);
      throw error;
    }
    if (!reply) return { state: "claimed" };
    const [state, found, result, claimedAt] = reply;
    const record: ClaimResult = { state: state as "pending" | "done" | "failed", fingerprint: found ?? "" };
    if (result != null) record.result = JSON.parse(result);
    if (claimedAt != null) record.claimedAt = Number(claimedAt);
    return record;
  }

  complete(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#finish(key, "done", result, ttlMs);
  }

  fail(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#finish(key, "failed", result, ttlMs);
  }

  async release(key: string): Promise<void> {
    await this.#run("taskbridgeRelease", this.#idem(key), []);
  }

  async ping(): Promise<void> {
    const signal = AbortSignal.timeout(this.#timeoutMs + ANSWER_GRACE_MS);
    await this.#ready(signal);
    await untilAborted(this.#redis.ping(), signal);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#withdrawing);
    if (this.#owned) await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #withdrawLater(key: string, owner: string): void {
    this.#lost.set(owner, key);
    if (this.#withdrawing || this.#closed) return;
    this.#withdrawing = setTimeout(() => void this.#withdrawAll(), this.#withdrawWaitMs);
    this.#withdrawing.unref();
  }

  async #withdrawAll(): Promise<void> {
    this.#withdrawing = undefined;
    for (const [owner, key] of [...this.#lost]) {
      try {
        await this.#run("taskbridgeWithdraw", this.#idem(key), [owner]);
        this.#lost.delete(owner);
      } catch {
        break; // still unreachable: all of them again later
      }
    }
    this.#withdrawWaitMs = this.#lost.size > 0 ? Math.min(5_000, this.#withdrawWaitMs * 2) : WITHDRAW_RETRY_MS;
    const [next] = this.#lost;
    if (next) this.#withdrawLater(next[1], next[0]);
  }

  async #finish(key: string, state: "done" | "failed", result: unknown, ttlMs: number): Promise<boolean> {
    const json = result === undefined ? "" : JSON.stringify(result);
    return (await this.#run("taskbridgeFinish", this.#idem(key), [state, json, ttlMs])) === 1;
  }

  #idem(key: string): string {
    return `${this.#prefix}idem:${key}`;
  }

  /**
   * Runs a script with its deadline; rejects once the deadline and the answer's grace have passed. `sending` is
   * called when the command is handed to the connection: a failure before it means Redis never saw the command.
   */
  async #run(name: ScriptName, key: string, args: Array<string | number>, sending?: () => void): Promise<unknown> {
    const deadline = Date.now() + this.#offsetMs + this.#timeoutMs;
    const signal = AbortSignal.timeout(this.#timeoutMs + ANSWER_GRACE_MS);
    try {
      await this.#ready(signal);
      sending?.();
      return await untilAborted(this.#scripts[name](key, deadline, ...args), signal);
    } catch (error) {
      if (!signal.aborted) throw error;
      throw new Error(`redis did not answer within ${this.#timeoutMs + ANSWER_GRACE_MS} ms`, { cause: error });
    }
  }

  /** Waits (within `signal`) for the connection; a lazy client connects on first use. */
  async #ready(signal: AbortSignal): Promise<void> {
    if (this.#redis.status === "ready") return;
    if (this.#redis.status === "wait") this.#redis.connect().catch(() => undefined);
    await once(this.#redis, "ready", { signal });
  }

  /** Measures Redis's clock against ours; a slow answer tells too little and is ignored. */
  async #syncClock(): Promise<void> {
    try {
      const sent = Date.now();
      const [seconds, micros] = (await this.#redis.time()) as Array<string | number>;
      const received = Date.now();
      if (received - sent > 50) return;
      this.#offsetMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (sent + received) / 2;
    } catch {
      // The next connection measures again.
    }
  }
}
