export { type CapturedIo, createCapturedIo } from "./captured-io.js";
export { type ConfirmationOutcome, confirmAction } from "./confirm.js";
export type { CliIo } from "./io.js";
export { PasswordInputError, readPassword } from "./password-input.js";
export { createProcessIo } from "./process-io.js";
export { formatTable } from "./table.js";
