import { ASSIGNEE_KINDS, type Person, type Vendor } from "@taskbridge/model";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { reportFailure } from "../errors.ts";
import { globalId } from "../global-id.ts";
import { VendorEnum } from "./vendor.ts";

export const AssigneeKindEnum = builder.enumType("AssigneeKind", {
  description: "What an assignee is: a user, a team, or a (clinical) provider.",
  values: ASSIGNEE_KINDS,
});

/** Loader key of a person: the same string as their global id, so one key means one person per request. */
export function personKey(vendor: Vendor, id: string): string {
  return globalId(vendor, id);
}

/**
 * People, loaded through the per-request DataLoader: each distinct (vendor, id) is looked up at most once per
 * request, the lookups of one batch run concurrently (no vendor has a batch endpoint), and a failed lookup
 * fails only the fields that asked for that person.
 */
export const PersonRef = builder.loadableObject("Person", {
  description: "Someone a task can be assigned to, as the vendor describes them. Fields the vendor lacks are null.",
  load: (keys: string[], ctx: GraphQLContext) => loadPeople(keys, ctx) as Promise<(Person | Error)[]>,
  fields: (t) => ({
    id: t.id({ description: "Global id: `<vendor>:<vendorId>`.", resolve: (p) => globalId(p.vendor, p.id) }),
    vendorId: t.exposeString("id", { description: "The vendor's own id for this person." }),
    vendor: t.field({ type: VendorEnum, resolve: (p) => p.vendor }),
    kind: t.field({ type: AssigneeKindEnum, resolve: (p) => p.kind }),
    displayName: t.exposeString("displayName", { nullable: true }),
    firstName: t.exposeString("firstName", { nullable: true }),
    lastName: t.exposeString("lastName", { nullable: true }),
    email: t.exposeString("email", { nullable: true }),
    username: t.exposeString("username", { nullable: true }),
    roles: t.exposeStringList("roles"),
  }),
});

async function loadPeople(keys: readonly string[], ctx: GraphQLContext): Promise<(Person | null | Error)[]> {
  return Promise.all(
    keys.map(async (key) => {
      const split = key.indexOf(":");
      const vendor = key.slice(0, split);
      const source = ctx.tenant.sources.get(vendor);
      if (!source?.getPerson) return null;
      const getPerson = source.getPerson.bind(source);
      try {
        return await ctx.budget.call(vendor, () => getPerson(key.slice(split + 1), { signal: ctx.signal }));
      } catch (error) {
        return reportFailure(ctx.log, error);
      }
    }),
  );
}
