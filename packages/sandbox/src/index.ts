export { type Sandbox, type SandboxOptions, type SandboxSeedIds, type SandboxVendor, startSandbox } from "./sandbox.ts";
export type {
  CakewalkCredentials,
  CannedAnswer,
  CapyCredentials,
  FaultControl,
  FaultKind,
  FaultSpec,
  MaxAiCredentials,
  MaxsightCredentials,
  ProviderStates,
  RateLimitOption,
  RequestEntry,
  RequestFilter,
  RequestLogView,
  RequestMatch,
  SandboxCredentials,
  Vendor,
} from "./types.ts";
export { DEFAULT_CREDENTIALS, VENDORS } from "./types.ts";
export type { CakewalkSeedIds } from "./vendors/cakewalk.ts";
export type { CapySeedIds } from "./vendors/capy.ts";
export type { MaxAiSeedIds } from "./vendors/maxai.ts";
export type { MaxsightSeedIds } from "./vendors/maxsight.ts";
