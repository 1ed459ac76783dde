import { createHash, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { ClaimResult, RateWindowResult, SharedStore } from "./store.ts";

// Each script runs atomically in Redis. Time comes from the Redis server (TIME), so instances whose clocks
// disagree still share one window.
const RATE_WINDOW = `
local key, limit, window, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local wait = window
if oldest[2] then wait = tonumber(oldest[2]) + window - now end
if wait < 1 then wait = 1 end
return {0, wait}
`;

const CLAIM = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('HMGET', KEYS[1], 'state', 'fingerprint', 'result', 'claimedAt')
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'state', 'pending', 'fingerprint', ARGV[1], 'claimedAt', now)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return false
`;

const FINISH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1])
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], 'result') else redis.call('HSET', KEYS[1], 'result', ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

export interface RedisStoreOptions {
  /** An ioredis client the caller owns (not closed by close()), or a redis:// URL for a client this store owns. */
  redis: Redis | string;
  /** Prepended to every key (default "taskbridge:"), so several apps can share a Redis. */
  prefix?: string;
  /** Connection errors of an owned client (commands also reject on their own). */
  onError?(error: unknown): void;
}

/** The SharedStore for many instances: Redis, with one Lua script per operation so each is atomic. */
export class RedisStore implements SharedStore {
  readonly #redis: Redis;
  readonly #owned: boolean;
  readonly #prefix: string;

  constructor(options: RedisStoreOptions) {
    this.#owned = typeof options.redis === "string";
    // An owned client fails commands fast while Redis is down instead of queueing them forever.
    this.#redis =
      typeof options.redis === "string"
        ? new Redis(options.redis, { maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: true })
        : options.redis;
    this.#prefix = options.prefix ?? "taskbridge:";
    // Without a listener ioredis prints every reconnect failure to stderr.
    if (this.#owned) this.#redis.on("error", (error: unknown) => options.onError?.(error));
  }

  async rateWindow(key: string, limit: number, windowMs: number): Promise<RateWindowResult> {
    const reply = (await this.#run(RATE_WINDOW, `${this.#prefix}rate:${key}`, [limit, windowMs, randomUUID()])) as [
      number,
      number,
    ];
    return { allowed: reply[0] === 1, retryAfterMs: Number(reply[1]) };
  }

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult> {
    const reply = (await this.#run(CLAIM, this.#idem(key), [fingerprint, ttlMs])) as Array<string | null> | null;
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
    await this.#redis.del(this.#idem(key));
  }

  async ping(): Promise<void> {
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  async #finish(key: string, state: "done" | "failed", result: unknown, ttlMs: number): Promise<boolean> {
    const json = result === undefined ? "" : JSON.stringify(result);
    return (await this.#run(FINISH, this.#idem(key), [state, json, ttlMs])) === 1;
  }

  #idem(key: string): string {
    return `${this.#prefix}idem:${key}`;
  }

  /** EVALSHA, falling back to EVAL once when Redis does not have the script cached yet. */
  async #run(script: string, key: string, args: Array<string | number>): Promise<unknown> {
    const sha = shaOf(script);
    try {
      return await this.#redis.evalsha(sha, 1, key, ...args);
    } catch (error) {
      if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
      return this.#redis.eval(script, 1, key, ...args);
    }
  }
}

const shas = new Map<string, string>();
function shaOf(script: string): string {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash("sha1").update(script).digest("hex");
    shas.set(script, sha);
  }
  return sha;
}
