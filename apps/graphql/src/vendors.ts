import type { TransportOptions } from "@taskbridge/http";
import type { TaskSource, VendorDescriptor } from "@taskbridge/model";
import { descriptor as cakewalk } from "@taskbridge/vendor-cakewalk";
import { descriptor as capy } from "@taskbridge/vendor-capy";
import { descriptor as maxai } from "@taskbridge/vendor-maxai";
import { descriptor as maxsight } from "@taskbridge/vendor-maxsight";
import type { z } from "zod";

/** A vendor this service can serve, as its package describes it. */
export type ServedVendor = VendorDescriptor<z.ZodObject, TaskSource, TransportOptions>;

/**
 * The registry: the vendors this service serves, one line each. Everything vendor-specific the service needs
 * (config rules, secrets, rate budgets, clients, the GraphQL enum, names in messages) comes from these descriptors.
 */
export const VENDORS: readonly ServedVendor[] = [maxai, cakewalk, capy, maxsight];
