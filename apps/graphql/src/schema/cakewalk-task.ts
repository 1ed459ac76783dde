import type { CakewalkTask } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { PersonRef } from "./person.ts";
import { isTaskOf, readable, TaskInterface, UNREADABLE, vendorTaskRef } from "./task.ts";

type CakewalkRequest = NonNullable<CakewalkTask["details"]["request"]>;

export const CakewalkRequestObject = builder.objectRef<CakewalkRequest>("CakewalkRequest").implement({
  description: "The access request a Cakewalk task was generated from.",
  fields: (t) => ({
    id: t.exposeString("id"),
    type: t.exposeString("type"),
    status: t.exposeString("status"),
    requestedByUserId: t.exposeString("requestedByUserId"),
    workAppId: t.exposeString("workAppId"),
    purpose: t.exposeString("purpose", { nullable: true }),
  }),
});

export const CakewalkTaskObject = vendorTaskRef("cakewalk", "CakewalkTask").implement({
  description: "A Cakewalk task (GET /api/v1/Tasks/{taskId}).",
  interfaces: [TaskInterface],
  isTypeOf: isTaskOf("cakewalk"),
  fields: (t) => ({
    type: t.string({ description: "Cakewalk task type (open set).", resolve: (task) => task.details.type }),
    request: t.field({
      type: CakewalkRequestObject,
      nullable: true,
      resolve: (task) => task.details.request,
    }),
    claimers: t.field({ type: [PersonRef], resolve: (task) => task.details.claimers }),
    executedBy: t.field({ type: PersonRef, nullable: true, resolve: (task) => task.details.executedBy }),
    snoozedTill: t.field({
      type: "DateTime",
      nullable: true,
      description: `Until when the task is snoozed; null when it is not. ${UNREADABLE}.`,
      resolve: (task, _args, ctx) => readable(task, "details.snoozedTill", task.details.snoozedTill, ctx),
    }),
  }),
});
