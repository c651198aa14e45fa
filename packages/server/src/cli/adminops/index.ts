export { type AdminopsCommand, UsageError } from "./command-module.js";
export { adminopsCommands } from "./commands.js";
export type { AdminopsContext, AdminopsGlobals } from "./context.js";
export {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  type RunAdminopsOptions,
  runAdminops,
} from "./run-adminops.js";
