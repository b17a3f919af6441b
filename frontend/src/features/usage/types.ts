// Usage scan types, generated from the hub's OpenAPI document (see api.gen.ts).
import type { components } from "../../types/api.gen";

type Schemas = components["schemas"];

export type FilesystemUsage = Schemas["FilesystemUsage"];
export type UsageDirectory = Schemas["UsageDirectory"];
export type UsageGrowth = Schemas["UsageGrowth"];
/** The latest scan, with its tree. */
export type UsageScanLatest = Schemas["UsageScanRead"];
/** A kept scan in the list of scans (failed ones too). */
export type UsageScanBrief = Schemas["UsageScanSummary"];
export type UsageScanRequest = Schemas["UsageScanRequest"];
/** An open request with the agent's progress. */
export type UsageScanRequestProgress = Schemas["UsageScanProgress"];
