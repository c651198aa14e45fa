export { type NormalisedDatabaseUrl, normaliseDatabaseUrl } from "./database-url.js";
export { type LoadSettingsOptions, loadSettings } from "./load-settings.js";
export {
  locateSettingsFile,
  SYSTEM_DATA_DIR,
  SYSTEM_SETTINGS_FILE,
} from "./locate-settings-file.js";
export { SETTING_DEFINITIONS, type SettingId } from "./setting-definitions.js";
export {
  type ConnectionTimeouts,
  type GuessingSettings,
  LOG_LEVELS,
  type LocalAuthSettings,
  type LoginSettings,
  type LogLevel,
  type MetricsSettings,
  SAME_SITE_VALUES,
  type SameSite,
  type Settings,
  SettingsError,
  type TlsSettings,
  type UserSource,
} from "./settings-types.js";
