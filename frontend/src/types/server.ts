// API types, generated from the hub's OpenAPI document (see api.gen.ts). Never hand-write these.
import type { components } from "./api.gen";

type Schemas = components["schemas"];

export type ServerSummary = Schemas["ServerSummary"];
export type ServerList = Schemas["ServerList"];
export type ServerRead = Schemas["ServerRead"];
export type ServerUpdate = Schemas["ServerUpdate"];
export type ServerStatus = Schemas["ServerStatus"];
export type FilesystemRead = Schemas["FilesystemRead"];
export type FilesystemState = Schemas["FilesystemState"];
export type FullestFilesystem = Schemas["FullestFilesystem"];
export type CapacityDomainRead = Schemas["CapacityDomainRead"];
export type CapacityTotals = Schemas["CapacityTotals"];
export type LatestMetrics = Schemas["LatestMetrics"];
export type OSInfo = Schemas["OSInfo"];
export type HistoryRange = Schemas["HistoryRange"];
export type Resolution = Schemas["Resolution"];
export type ServerMetricPoint = Schemas["ServerMetricPoint"];
export type ServerMetricsHistory = Schemas["ServerMetricsHistory"];
export type FilesystemPoint = Schemas["FilesystemPoint"];
export type FilesystemSeries = Schemas["FilesystemSeries"];
export type FilesystemMetricsHistory = Schemas["FilesystemMetricsHistory"];
export type ErrorResponse = Schemas["ErrorResponse"];
export type VanishedFilesystem = Schemas["VanishedFilesystem"];
