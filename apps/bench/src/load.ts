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
  const { plan } = target;
  const clients = Array.from(
    { length: options.connections },
    () => new Client(target.origin, { pipelining: 1, keepAliveTimeout: 30_000 }),
  );
  // requests[c][b]: connection c's key with body b, made once.
  const requests = clients.map((_, c) => {
    const headers = { ...plan.headers, authorization: `Bearer ${target.keys[c % target.keys.length]}` };
    return plan.bodies.map((body) => ({ method: plan.method, path: plan.path, headers, body: Buffer.from(body) }));
  });
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
    let status = 0;
    let body = "";
    const end = (ok: boolean) => {
      const at = performance.now();
      fromDue[done] = at - due;
      fromSent[done] = at - written;
      done++;
      if (ok && status === 200 && goodBody(body)) good++;
      else bad++;
      if (done === total) allDone();
    };
    (clients[c] as Client).dispatch(requests[c]?.[(n + c) % plan.bodies.length] as Dispatcher.DispatchOptions, {
      onRequestStart() {},
      onResponseStart(_controller, statusCode) {
        status = statusCode;
      },
      onResponseData(_controller, chunk) {
        body += chunk.toString("utf8");
      },
      onResponseEnd() {
        end(true);
      },
      onResponseError() {
        end(false);
      },
    });
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
