import { useCallback, useEffect, useRef, useState } from "react";

export type RequestState<T> =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "done"; value: T }
  | { status: "failed"; error: unknown };

/**
 * One request at a time: starting another aborts the one in flight (its AbortSignal), and so does unmounting,
 * so a late answer never overwrites a newer one.
 */
export function useRequest<T>() {
  const [state, setState] = useState<RequestState<T>>({ status: "idle" });
  const inFlight = useRef<AbortController | null>(null);
  useEffect(() => () => inFlight.current?.abort(), []);
  const run = useCallback((start: (signal: AbortSignal) => Promise<T>) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setState({ status: "loading" });
    start(controller.signal).then(
      (value) => controller.signal.aborted || setState({ status: "done", value }),
      (error: unknown) => controller.signal.aborted || setState({ status: "failed", error }),
    );
  }, []);
  return [state, run] as const;
}
