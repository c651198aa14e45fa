// `@tokenleader/client/settings`: the rules for settings and input that the server, the enforcer
// and the client share: the INI reader, the yes/no reading and the input limits.
export {
  coerceIniValue,
  type IniDocument,
  type IniEntry,
  type IniValue,
  type ParseIniOptions,
  type ParseIniResult,
  parseIni,
} from "./ini.js";
export {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  TOKEN_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
} from "./input-limits.js";
export { parseYesNo, YES_NO_WORDS } from "./yes-no.js";
