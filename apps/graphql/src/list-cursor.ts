import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { InvalidInputError, type Vendor } from "@taskbridge/model";

/** Where one vendor's listing stands: not started, at a vendor position (opaque, the vendor client's), or finished. */
export type Progress = { state: "start" } | { state: "at"; position: string } | { state: "done" };

export const START: Progress = Object.freeze({ state: "start" });
export const DONE: Progress = Object.freeze({ state: "done" });

/** Every vendor of a listing and where it stands, in the listing's vendor order. */
export type Positions = ReadonlyMap<Vendor, Progress>;

const VERSION = "v1";
/**
 * Longer than any cursor this API issues: four vendor tokens of a few hundred characters each, plus 9 characters
 * for each entry of a vendor page examined already (Maxsight ≤ 49, a Capy page of 100 threads a few hundred).
 */
const MAX_LENGTH = 32_768;

/** A cursor's progress in JSON: 0 not started, 1 finished, else the vendor position. */
type Encoded = 0 | 1 | string;

/**
 * Cursors of task listings: `v1.<payload>.<signature>`. The payload (base64url JSON) holds the listing's binding —
 * a hash of the tenant and the normalized filter, so a cursor is valid only for the listing that issued it — and
 * each vendor's progress; the signature is an HMAC-SHA256 of both under the server's secret, so a cursor cannot be
 * forged or altered. Vendor positions are page tokens and offsets, never credentials.
 */
export class ListCursors {
  readonly #secret: Buffer;

  /** `secret`: at least 32 bytes, the same on every instance (TASKBRIDGE_CURSOR_SECRET). */
  constructor(secret: string | Buffer) {
    this.#secret = Buffer.from(secret);
    if (this.#secret.length < 32) throw new Error("the cursor secret must be at least 32 bytes");
  }

  encode(binding: string, positions: Positions): string {
    const p: Record<string, Encoded> = {};
    for (const [vendor, progress] of positions) {
      p[vendor] = progress.state === "start" ? 0 : progress.state === "done" ? 1 : progress.position;
    }
    const payload = Buffer.from(JSON.stringify({ b: binding, p })).toString("base64url");
    return `${VERSION}.${payload}.${this.#sign(payload)}`;
  }

  /**
   * The positions of a cursor this server issued for the listing `binding` names.
   * @throws InvalidInputError (field `after`) for anything else: garbage, an altered or forged cursor, another
   *   version, or a cursor of another listing (another filter or tenant).
   */
  decode(cursor: string, binding: string): Positions {
    const [version, payload, signature, ...rest] = cursor.length <= MAX_LENGTH ? cursor.split(".") : [];
    if (version !== VERSION || !payload || !signature || rest.length > 0 || !this.#verify(payload, signature)) {
      throw new InvalidInputError("after", "not a cursor this API issued: pass an endCursor or edge cursor unchanged");
    }
    const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      b: string;
      p: Record<string, Encoded>;
    };
    if (body.b !== binding) {
      throw new InvalidInputError("after", "a cursor of another listing: page with the filter that issued it");
    }
    return new Map(
      Object.entries(body.p).map(([vendor, value]): [Vendor, Progress] => [
        vendor,
        value === 0 ? START : value === 1 ? DONE : { state: "at", position: value },
      ]),
    );
  }

  #sign(payload: string): string {
    return createHmac("sha256", this.#secret).update(`${VERSION}.${payload}`).digest("base64url");
  }

  #verify(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.#sign(payload));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** The binding of a listing: the tenant and the normalized filter (any JSON with a stable key order), hashed. */
export function listingBinding(tenantId: string, filter: unknown): string {
  return createHash("sha256")
    .update(`${tenantId}\n${JSON.stringify(filter)}`)
    .digest("base64url")
    .slice(0, 22);
}
