import type { IdKind, TaskSource, Vendor } from "@taskbridge/model";
import type { GraphQLContext } from "../context.ts";
import { badUserInput } from "../errors.ts";
import { IDEMPOTENCY_KEY, idempotent } from "../idempotency.ts";

/** The `idempotencyKey` argument, checked: 1–200 printable ASCII characters, or absent. */
export function checkedIdempotencyKey(key: string | null | undefined): string | undefined {
  if (key == null) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw badUserInput("idempotencyKey: 1–200 printable ASCII characters", "idempotencyKey");
  }
  return key;
}

/**
 * Runs a write (createTask, a task action) once: under its idempotency record when the caller gave a key (and the
 * service keeps records), else just once. The key stays ours: no vendor honours one, so it is not passed down.
 * `send` gets the request's write signal: a write the client has sent finishes even if its caller goes away, and
 * one still waiting to be sent (for a rate-budget slot, a vendor's pause) is not sent once its caller has gone; its
 * key is then released, as nothing was sent, and a retry with it sends the write.
 */
export function keyedWrite<T>(
  ctx: GraphQLContext,
  key: string | undefined,
  write: { vendor: Vendor; input: unknown; done: string },
  send: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  const signal = ctx.writeSignal();
  // A caller already gone: the vendor client refuses the aborted signal before sending, so no key is claimed.
  if (key === undefined || !ctx.idempotency || signal?.aborted) return ctx.writes.track(send(signal));
  const call = { ...write, tenantId: ctx.tenant.id, key, signal: ctx.signal };
  return ctx.writes.track(idempotent(ctx.idempotency, call, () => send(signal)));
}

/**
 * An id as the vendor's calls send it (TaskSource.canonicalId), for a write's fingerprint: ids are accepted in any
 * case (Max AI's in either dialect), and every spelling of one write must be the same input under a key.
 */
export function canonicalId(source: Pick<TaskSource, "canonicalId">, id: string, kind: IdKind): string {
  return source.canonicalId?.(id, kind) ?? id;
}
