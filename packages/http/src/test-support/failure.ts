import { VendorError } from "@taskbridge/model";

/** The VendorError `promise` rejects with; anything else (a success, another error) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<VendorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof VendorError)) throw new Error(`expected a VendorError, got ${String(error)}`);
  return error;
}
