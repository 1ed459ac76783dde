import type { Dispatcher } from "undici";
import type { BodyBudget } from "./body-budget.ts";

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface RawResponse {
  status: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  /** The body as UTF-8 text; undefined when it is larger than the limit (then not read past it). */
  text: string | undefined;
  /** The body budget it did not fit (then text is undefined and the body was not read past it). */
  refusedBy?: BodyBudget | undefined;
}

/**
 * One HTTP exchange through undici's dispatch(), the body gathered as it arrives and refused past `limit` bytes.
 * undici's request() wraps the same exchange in a Readable, its nextTick chain and a promise per read; this is
 * the one promise. A body over the limit, an abort of `signal` and any transport failure end the exchange through
 * the controller, so undici drops the connection instead of returning a half-read socket to the pool. Rejects
 * with undici's error (or the signal's reason) for the caller to translate. With `statusSuffices`, a body that breaks
 * off (timeout, reset, abort) after a 2xx status is no body (text undefined), not a failure: that status is the answer.
 * `bodies` counts the body's bytes, all at once when Content-Length declares them; one that does not fit is refused.
 */
export function send(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal,
  limit: number,
  statusSuffices = false,
  bodies?: BodyBudget,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    /** Whether the body's bytes are counted already (declared), or are to be counted as they arrive. */
    let counted = bodies === undefined;
    /** Bytes counted against `bodies`: given back unless the body is delivered. */
    let taken = 0;
    const take = (bytes: number) => {
      const refusedBy = bodies?.take(bytes);
      if (!refusedBy) taken += bytes;
      return refusedBy;
    };
    let settled = false;
    const settle = (outcome: RawResponse | Error) => {
      if (settled) return;
      settled = true;
      if (taken > 0 && (outcome instanceof Error || outcome.text === undefined)) bodies?.give(taken);
      signal.removeEventListener("abort", onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const refuse = (control: Dispatcher.DispatchController, refusedBy?: BodyBudget) => {
      settle({ status, headers, text: undefined, refusedBy });
      control.abort(new Error(`the response body exceeds ${refusedBy?.limit ?? limit} bytes`));
    };
    const reason = () => (signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    const brokenOff = (error: Error) =>
      statusSuffices && status >= 200 && status < 300 ? { status, headers, text: undefined } : error;
    function onAbort() {
      const error = reason();
      // Before onRequestStart there is no controller yet: that aborts the exchange when it comes.
      controller?.abort(error);
      settle(brokenOff(error));
    }
    if (signal.aborted) return reject(reason());
    signal.addEventListener("abort", onAbort);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(control) {
        controller = control;
        if (settled) control.abort(reason());
      },
      onResponseStart(control, statusCode, responseHeaders) {
        if (statusCode < 200) return; // informational: the real answer follows
        status = statusCode;
        headers = flattenHeaders(responseHeaders);
        // A declared length over the limit is refused before reading; undici refuses a body longer than declared.
        const declared = Number(headers["content-length"]);
        if (declared > limit) return refuse(control);
        if (!counted && Number.isSafeInteger(declared) && declared >= 0) {
          counted = true;
          const refusedBy = take(declared);
          if (refusedBy) refuse(control, refusedBy);
        }
      },
      onResponseData(control, chunk) {
        if (settled) return;
        size += chunk.length;
        if (size > limit) return refuse(control);
        const refusedBy = counted ? undefined : take(chunk.length);
        if (refusedBy) refuse(control, refusedBy);
        else chunks.push(chunk);
      },
      onResponseEnd() {
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
        const text = body.toString("utf8");
        // A leading byte-order mark is not part of the JSON (TextDecoder and undici's text() drop it too).
        settle({ status, headers, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
      },
      onResponseError(_control, error) {
        settle(brokenOff(error));
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      settle(error as Error); // options undici refuses (an invalid header value)
    }
  });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
