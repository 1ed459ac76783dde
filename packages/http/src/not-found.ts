import { VendorNotFoundError } from "@taskbridge/model";

/** The call's result, or null when the vendor says the thing does not exist (how reads report a 404). */
export async function nullOnNotFound<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof VendorNotFoundError) return null;
    throw error;
  }
}
