import type { AssigneeRef } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { globalId } from "../global-id.ts";
import { AssigneeKindEnum, PersonRef, personKey } from "./person.ts";
import { VendorEnum } from "./vendor.ts";

export const AssigneeObject = builder.objectRef<AssigneeRef>("Assignee").implement({
  description: "Who a task is assigned to: the reference the vendor gives, and the person when it can be known.",
  fields: (t) => ({
    id: t.id({ description: "Global id: `<vendor>:<vendorId>`.", resolve: (a) => globalId(a.vendor, a.id) }),
    vendorId: t.exposeString("id", { description: "The vendor's own id for the assignee." }),
    vendor: t.field({ type: VendorEnum, resolve: (a) => a.vendor }),
    kind: t.field({ type: AssigneeKindEnum, resolve: (a) => a.kind }),
    person: t.field({
      type: PersonRef,
      nullable: true,
      description:
        "The person. Embedded people are used as the vendor sent them; others are looked up once per request. Null when the vendor cannot look them up (Maxsight) or says they do not exist.",
      resolve: (a, _args, ctx) => {
        if (a.inline) return a.inline;
        return ctx.tenant.sources.get(a.vendor)?.getPerson ? personKey(a.vendor, a.id) : null;
      },
    }),
  }),
});
