export {
  type NormalisedDatabaseUrl,
  normaliseDatabaseUrl,
} from "./database-url.js";
export { coerceIniValue, type IniDocument, type IniEntry, type IniValue, parseIni } from "./ini.js";
export { type LoadSettingsOptions, loadSettings } from "./load-settings.js";
export {
  locateSettingsFile,
  SYSTEM_DATA_DIR,
  SYSTEM_SETTINGS_FILE,
} from "./locate-settings-file.js";
export { SETTING_DEFINITIONS, type SettingId } from "./setting-definitions.js";
export {
  type DatabaseProvider,
  LOG_LEVELS,
  type LogLevel,
  type Settings,
  SettingsError,
  TOKEN_ALGORITHMS,
  type TokenAlgorithm,
} from "./settings-types.js";
