import type { AdminopsCommand } from "../command-module.js";
import { keysListCommand } from "./keys-list.js";
import { keysRetireCommand } from "./keys-retire.js";
import { keysRotateCommand } from "./keys-rotate.js";

/** `keys list|rotate|retire`: the deployment's signing keys (docs/operations.md). */
export const keysCommand: AdminopsCommand = {
  command: "keys",
  describe: "signing keys: list, rotate (new key, published before it signs), retire",
  subcommands: [keysListCommand, keysRotateCommand, keysRetireCommand],
  builder: (yargs) =>
    yargs.epilogue(
      'Every server on the database picks a change up without a restart (at once on PostgreSQL, within [token] key_set_refresh_seconds on SQLite). Step by step: docs/operations.md, "Rotating signing keys".',
    ),
};
