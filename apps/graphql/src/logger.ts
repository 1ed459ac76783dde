import { REDACTED } from "@taskbridge/http";
import { type DestinationStream, type Logger, pino } from "pino";

export interface LoggerOptions {
  level?: string;
  /** Values that must never be written (vendor credentials, API keys): replaced in every line. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. Tests pass a stream that collects lines. */
  destination?: DestinationStream;
}

/** Structured JSON logs. Credential headers are redacted by path, and any known secret value by content. */
export function createLogger(options: LoggerOptions = {}): Logger {
  // Lines are JSON: a secret with a quote or a backslash in it is written escaped, so that form is sought too.
  const forms = (options.secrets ?? []).flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  const secrets = [...new Set(forms)].filter((s) => s.length >= 4);
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "taskbridge-graphql" },
      redact: { paths: ["headers.authorization", "*.headers.authorization", "*.headers.cookie"], censor: REDACTED },
      hooks: {
        streamWrite: (line) => {
          let out = line;
          for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
          return out;
        },
      },
    },
    // pino's synchronous stdout (its async destination copies every line through a buffer), written in batches.
    options.destination ?? new BatchedDestination(pino.destination({ sync: true })),
  );
}

/**
 * Lines written within `windowMs` go out together, in order, in one write. Each write is a system call: one per
 * access line is a real share of a request's CPU under load, and a burst of answers would wait behind their lines.
 * `flush()` (pino's `logger.flush()`) and process exit write what is pending at once, so only a process killed
 * outright loses lines: at most its last window's.
 */
export class BatchedDestination implements DestinationStream {
  readonly #out: DestinationStream;
  readonly #windowMs: number;
  #pending = "";
  readonly #flush = () => this.flush();

  constructor(out: DestinationStream, windowMs = 10) {
    this.#out = out;
    this.#windowMs = windowMs;
    process.once("exit", this.#flush);
  }

  write(line: string): void {
    if (this.#pending === "") setTimeout(this.#flush, this.#windowMs).unref();
    this.#pending += line;
  }

  flush(done?: () => void): void {
    if (this.#pending !== "") {
      const text = this.#pending;
      this.#pending = "";
      this.#out.write(text);
    }
    done?.();
  }
}

/** What request handling logs with (a pino Logger is one). */
export interface RequestLogger {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

/**
 * A request's logger, with the request id bound, made when something first logs: most requests write nothing but
 * their access line, and a pino child (its bindings serialised, redaction set up) costs memory on every request.
 * Plain methods, no accessors: per-request objects with accessor properties slowed every scavenge.
 */
export class LazyRequestLogger implements RequestLogger {
  readonly #parent: Logger;
  readonly #requestId: string;
  #child: Logger | undefined;

  constructor(parent: Logger, requestId: string) {
    this.#parent = parent;
    this.#requestId = requestId;
  }

  error(obj: unknown, msg?: string): void {
    this.#logger().error(obj, msg);
  }

  warn(obj: unknown, msg?: string): void {
    this.#logger().warn(obj, msg);
  }

  #logger(): Logger {
    this.#child ??= this.#parent.child({ reqId: this.#requestId });
    return this.#child;
  }
}
