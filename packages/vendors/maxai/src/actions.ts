import type { TaskActionKind } from "@taskbridge/model";

/** None: the docs describe no update, assignment or comment (docs.maxcare.ai/architecture). */
export const ACTIONS: readonly TaskActionKind[] = Object.freeze([]);

/** Nothing, whatever the task's state: Max AI offers no action. */
export function availableActions(): TaskActionKind[] {
  return [];
}
