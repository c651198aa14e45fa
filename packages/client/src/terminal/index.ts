// `@tokenleader/client/terminal`: the terminal plumbing of the CLIs (tokenleader,
// tokenleader-auth, and the server's adminops).
export { type CapturedIo, createCapturedIo } from "./captured-io.js";
export { escapeControlCharacters, escapeJsonForTerminal } from "./escape-control-characters.js";
export type { CliIo } from "./io.js";
export { readPackageVersion } from "./package-version.js";
export { type ParsedCommandLine, parseCommandLine } from "./parse-command-line.js";
export { processIo } from "./process-io.js";
export { PromptCancelledError, promptHidden, promptLine } from "./prompts.js";
export { readAllStdin, stripOneTrailingNewline } from "./read-stdin.js";
