import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { Client, type Dispatcher } from "undici";
import { percentile, round } from "./metrics.ts";
import { goodBody, type RequestPlan } from "./workload.ts";

export interface LoadTarget {
  origin: string;
  plan: RequestPlan;
  /** Connection i presents keys[i % keys.length]. */
  keys: readonly string[];
}

export interface SaturationResult {
  connections: number;
  seconds: number;
  /** Good (200, data, no errors) responses per second. */
  rps: number;
  completed: number;
  bad: number;
  errors: number;
  /** autocannon's latency (1 ms resolution), for orientation only: at saturation latency is queueing. */
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/** Closed loop: every connection sends its next request as soon as the previous answer arrives. */
export async function saturate(target: LoadTarget, connections: number, seconds: number): Promise<SaturationResult> {
  let next = 0;
  const { plan } = target;
  const result = await autocannon({
    url: target.origin,
    connections,
    duration: seconds,
    timeout: 30,
    // Each connection gets its own key and starts its rotation of bodies at a different place.
    setupClient(client) {
      const i = next++;
      const headers = { ...plan.headers, authorization: `Bearer ${target.keys[i % target.keys.length]}` };
      client.setRequests(
        plan.bodies.map((_, k) => ({
          method: plan.method,
          path: plan.path,
          headers,
          body: plan.bodies[(i + k) % plan.bodies.length] as string,
        })),
      );
    },
    verifyBody: goodBody,
  });
  const good = result["2xx"] - result.mismatches;
  return {
    connections,
    seconds: result.duration,
    rps: round(good / result.duration, 1),
    completed: result["2xx"] + result.non2xx,
    bad: result.non2xx + result.mismatches,
    errors: result.errors + result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}

export interface FixedRateResult {
  rate: number;
  connections: number;
  seconds: number;
  sent: number;
  good: number;
  bad: number;
  /** Measured from when each request was due (no coordinated omission), ms. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Measured from when each request was written (service time), ms. */
  serviceP50Ms: number;
  serviceP99Ms: number;
}

/**
 * Open loop at a fixed rate: request n is due at start + n/rate whatever happened to the earlier ones, and its
 * latency counts from that moment. autocannon's rate mode sends each connection's per-second budget in a burst
 * and "corrects" latencies with a 1 ms expected interval, so it cannot measure this; undici Clients can.
 * Requests go round-robin over `connections` single-connection clients, each with its own key.
 *
 * The generator must keep its own schedule, or its pauses show up as latency of the system under test: requests
 * go through undici's dispatch() with a plain handler (no promise, stream or body object per request, with
 * request options built once), and latencies land in preallocated arrays, so it allocates little and its
 * garbage collections stay rare and short.
 */
export async function fixedRate(
  target: LoadTarget,
  options: { rate: number; seconds: number; connections: number; onTick?: (elapsedMs: number) => void },
): Promise<FixedRateResult> {
  const { clients, requests } = connect(target, options.connections);
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const fromDue = new Float64Array(total);
  const fromSent = new Float64Array(total);
  let done = 0;
  let good = 0;
  let bad = 0;
  let sent = 0;
  const { promise: finished, resolve: allDone } = Promise.withResolvers<void>();

  const send = (n: number, due: number) => {
    const c = n % clients.length;
    const written = performance.now();
    exchange(
      clients[c] as Client,
      requests[c]?.[(n + c) % target.plan.bodies.length] as Dispatcher.DispatchOptions,
      (ok) => {
        const at = performance.now();
        fromDue[done] = at - due;
        fromSent[done] = at - written;
        done++;
        if (ok) good++;
        else bad++;
        if (done === total) allDone();
      },
    );
  };

  const start = performance.now();
  const tick = () => {
    const now = performance.now();
    options.onTick?.(now - start);
    const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
    while (sent < due) {
      send(sent, start + sent * intervalMs);
      sent++;
    }
    if (sent < total) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
  };
  if (total === 0) allDone();
  else tick();
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(clients.map((c) => c.close()));

  fromDue.sort();
  fromSent.sort();
  const ms = (v: number) => round(v, 3);
  return {
    rate: options.rate,
    connections: options.connections,
    seconds: round(seconds, 2),
    sent,
    good,
    bad,
    p50Ms: ms(percentile(fromDue, 50)),
    p90Ms: ms(percentile(fromDue, 90)),
    p99Ms: ms(percentile(fromDue, 99)),
    maxMs: ms(fromDue.at(-1) ?? Number.NaN),
    serviceP50Ms: ms(percentile(fromSent, 50)),
    serviceP99Ms: ms(percentile(fromSent, 99)),
  };
}

export interface BurstResult {
  size: number;
  bursts: number;
  good: number;
  bad: number;
  /** Median over bursts of the time from sending a burst to its last answer, ms. */
  lastMs: number;
  /** Median over bursts of the time to its middle answer, ms. */
  middleMs: number;
}

/**
 * Bursts of `size` requests sent at once, one per connection, the next `gapMs` after the last answer. On a machine
 * that pauses, the requests due during a pause arrive together and each system works through them at its own CPU
 * cost per request: how much later a burst's last answer comes is the part of the tail a facade adds, measured
 * without waiting for the pauses that set p99.
 */
export async function bursts(
  target: LoadTarget,
  options: { size: number; count: number; gapMs: number },
): Promise<BurstResult> {
  const { clients, requests } = connect(target, options.size);
  const last = new Float64Array(options.count);
  const middle = new Float64Array(options.count);
  let good = 0;
  let bad = 0;
  for (let b = 0; b < options.count; b++) {
    const start = performance.now();
    let answered = 0;
    const { promise: drained, resolve } = Promise.withResolvers<void>();
    clients.forEach((client, c) => {
      const request = requests[c]?.[(b + c) % target.plan.bodies.length] as Dispatcher.DispatchOptions;
      exchange(client, request, (ok) => {
        answered++;
        if (ok) good++;
        else bad++;
        // Answers come in order: the middle one and the last one are the burst's median and maximum.
        if (answered === Math.ceil(options.size / 2)) middle[b] = performance.now() - start;
        if (answered === options.size) {
          last[b] = performance.now() - start;
          resolve();
        }
      });
    });
    await drained;
    await sleep(options.gapMs);
  }
  await Promise.all(clients.map((c) => c.close()));
  last.sort();
  middle.sort();
  return {
    size: options.size,
    bursts: options.count,
    good,
    bad,
    lastMs: round(percentile(last, 50), 3),
    middleMs: round(percentile(middle, 50), 3),
  };
}

/** Single-connection clients, each presenting its own key, and the requests each sends (options built once). */
function connect(target: LoadTarget, connections: number) {
  const { plan } = target;
  const clients = Array.from(
    { length: connections },
    () => new Client(target.origin, { pipelining: 1, keepAliveTimeout: 30_000 }),
  );
  // requests[c][b]: connection c's key with body b.
  const requests = clients.map((_, c) => {
    const headers = { ...plan.headers, authorization: `Bearer ${target.keys[c % target.keys.length]}` };
    return plan.bodies.map((body) => ({ method: plan.method, path: plan.path, headers, body: Buffer.from(body) }));
  });
  return { clients, requests };
}

/** One request through dispatch() with a plain handler (no promise, stream or body object); `end(good)` after. */
function exchange(client: Client, request: Dispatcher.DispatchOptions, end: (good: boolean) => void): void {
  let status = 0;
  let body = "";
  client.dispatch(request, {
    onRequestStart() {},
    onResponseStart(_controller, statusCode) {
      status = statusCode;
    },
    onResponseData(_controller, chunk) {
      body += chunk.toString("utf8");
    },
    onResponseEnd() {
      end(status === 200 && goodBody(body));
    },
    onResponseError() {
      end(false);
    },
  });
}
