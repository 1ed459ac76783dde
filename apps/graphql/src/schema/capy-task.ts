import type { CapyTask } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { isTaskOf, TaskInterface, vendorTaskRef } from "./task.ts";

type SlackThread = CapyTask["details"]["slackThreads"][number];

export const SlackThreadObject = builder.objectRef<SlackThread>("SlackThread").implement({
  fields: (t) => ({
    teamId: t.exposeString("teamId"),
    channelId: t.exposeString("channelId"),
    threadTs: t.exposeString("threadTs"),
    url: t.exposeString("url"),
  }),
});

export const CapyTaskObject = vendorTaskRef("capy", "CapyTask").implement({
  description: "A Capy task (GET /v1/tasks/{taskId}). Capy tasks have no assignee.",
  interfaces: [TaskInterface],
  isTypeOf: isTaskOf("capy"),
  fields: (t) => ({
    projectId: t.string({ resolve: (task) => task.details.projectId }),
    identifier: t.string({ description: "Human key, e.g. SCO-123.", resolve: (task) => task.details.identifier }),
    prompt: t.string({ resolve: (task) => task.details.prompt }),
    pullRequest: t.field({
      type: "JSON",
      nullable: true,
      description: "The linked pull request as Capy sends it (its shape is not documented).",
      resolve: (task) => task.details.pullRequest ?? null,
    }),
    slackThreads: t.field({ type: [SlackThreadObject], resolve: (task) => task.details.slackThreads }),
    threadId: t.string({ nullable: true, resolve: (task) => task.details.threadId }),
  }),
});
