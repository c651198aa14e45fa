// The terminal plumbing (CliIo, captured and process io) comes from the client package, which
// the CLIs share; what is adminops' own lives here.
export {
  type CapturedIo,
  type CliIo,
  createCapturedIo,
  processIo,
} from "@tokenleader/client/terminal";
export { type ConfirmationOutcome, confirmAction } from "./confirm.js";
export { PasswordInputError, readPassword } from "./password-input.js";
export { formatTable } from "./table.js";
