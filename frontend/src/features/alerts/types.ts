// Alert and notification types, generated from the hub's OpenAPI document (see api.gen.ts).
import type { components } from "../../types/api.gen";

type Schemas = components["schemas"];

export type AlertRead = Schemas["AlertRead"];
export type AlertFilter = Schemas["AlertFilter"];
export type Severity = Schemas["Severity"];
export type MountMode = Schemas["MountMode"];
export type AlertSettingsRead = Schemas["AlertSettingsRead"];
export type MountSettingUpdate = Schemas["MountSettingUpdate"];
export type MountLevels = Schemas["MountLevels"];
export type SilenceCreate = Schemas["SilenceCreate"];
export type ChannelCreate = Schemas["ChannelCreate"];
export type ChannelRead = Schemas["ChannelRead"];
export type ChannelList = Schemas["ChannelList"];
export type SilenceRead = Schemas["SilenceRead"];
export type EffectiveLevels = Schemas["EffectiveLevels"];
