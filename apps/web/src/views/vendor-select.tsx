import { VENDORS, type Vendor } from "@taskbridge/client";
import { VENDOR_LABELS } from "../vendors.ts";

export const isVendor = (value: unknown): value is Vendor => VENDORS.includes(value as Vendor);

export function VendorSelect({ id, name, defaultValue }: { id: string; name: string; defaultValue?: Vendor }) {
  return (
    <select id={id} name={name} defaultValue={defaultValue ?? "MAX_AI"}>
      {VENDORS.map((vendor) => (
        <option key={vendor} value={vendor}>
          {VENDOR_LABELS[vendor]}
        </option>
      ))}
    </select>
  );
}
