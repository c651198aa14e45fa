#!/usr/bin/env node
import { sessionRevocationHooks } from "../../sessions/index.js";
// The adminops process: the only place that exits. Everything else is in runAdminops.
import { createProcessIo } from "../shared/process-io.js";
import { runAdminops } from "./run-adminops.js";

// Changing or deleting a user here ends their cookie-login sessions on every server sharing the DB.
const status = await runAdminops(process.argv.slice(2), createProcessIo(), {
  hooks: sessionRevocationHooks(),
});
// Exit explicitly (a paused stdin or a pool timer must not keep the process alive), but only
// once what was written to stdout has been flushed to a pipe.
process.stdout.write("", () => process.exit(status));
