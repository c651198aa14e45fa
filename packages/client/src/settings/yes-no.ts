// The one reading of yes/no values in settings files and options (server INI, client YAML,
// enforcer options): the words people write for a switch, in any case, and 1/0.

const YES_WORDS = ["true", "yes", "on", "1", "enabled"];
const NO_WORDS = ["false", "no", "off", "0", "disabled"];

/** The words `parseYesNo` understands, for problem messages. */
export const YES_NO_WORDS = "true/false, yes/no, on/off, 1/0 or enabled/disabled";

/** true or false, or undefined when `value` is no yes/no word (the caller names the problem). */
export function parseYesNo(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const word = String(value).trim().toLowerCase();
  if (YES_WORDS.includes(word)) return true;
  if (NO_WORDS.includes(word)) return false;
  return undefined;
}
