// Drive and pool types, generated from the hub's OpenAPI document (see api.gen.ts).
import type { components } from "../../types/api.gen";

type Schemas = components["schemas"];

export type DriveRead = Schemas["DriveRead"];
export type DriveHealth = Schemas["DriveHealth"];
export type DriveList = Schemas["DriveList"];
export type DriveHistory = Schemas["DriveHistory"];
export type DrivePoint = Schemas["DrivePoint"];
export type PoolRead = Schemas["PoolRead"];
