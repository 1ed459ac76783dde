import { builder } from "../builder.ts";
import { VENDORS } from "../vendors.ts";

export const VendorEnum = builder.enumType("Vendor", {
  description: "The task systems Taskbridge reads from.",
  values: Object.fromEntries(
    VENDORS.map((vendor) => [vendor.publicName, { value: vendor.id, description: vendor.description }]),
  ),
});
