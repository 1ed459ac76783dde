import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import { isCanonicalTimestamp } from "@taskbridge/model";
import { GraphQLDateTime, GraphQLJSON, GraphQLSafeInt } from "graphql-scalars";
import type { GraphQLContext } from "./context.ts";

export interface BuilderTypes {
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    SafeInt: { Input: number; Output: number };
  };
}

/** The one Pothos builder. Fields are non-null unless declared `nullable`. */
export const builder = new SchemaBuilder<BuilderTypes>({
  plugins: [DataloaderPlugin],
  defaultFieldNullability: false,
});

builder.addScalarType("DateTime", GraphQLDateTime, {
  // Task timestamps arrive already canonical (normalizeTimestamp checked them); anything else gets the full check.
  serialize: (value) => (isCanonicalTimestamp(value) ? value : GraphQLDateTime.serialize(value)),
});
builder.addScalarType("JSON", GraphQLJSON);
// Vendor integers can pass GraphQL's 32-bit Int (a Maxsight data_version of 2^31); mappers keep them within ±(2^53 − 1).
builder.addScalarType("SafeInt", GraphQLSafeInt);
