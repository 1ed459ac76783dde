/** The part of a pino-style logger the transport uses: `logger.debug(obj, msg)` and `logger.warn(obj, msg)`. */
export interface HttpLogger {
  debug?(obj: Record<string, unknown>, msg: string): void;
  warn?(obj: Record<string, unknown>, msg: string): void;
}

/** Logging must never break a call, so a throwing logger is ignored. */
export function safeLog(
  logger: HttpLogger | undefined,
  level: "debug" | "warn",
  obj: Record<string, unknown>,
  msg: string,
): void {
  try {
    if (level === "debug") logger?.debug?.(obj, msg);
    else logger?.warn?.(obj, msg);
  } catch {
    // ignored on purpose
  }
}
