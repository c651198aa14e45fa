#!/usr/bin/env node
// The adminops process: the only place that exits. Everything else is in runAdminops.
import { processIo } from "@tokenleader/client/terminal";
import { runAdminops } from "./run-adminops.js";

// Changing or deleting a user ends their sessions and tokens (runAdminops' default hooks).
const status = await runAdminops(process.argv.slice(2), processIo);
// Exit explicitly (a paused stdin or a pool timer must not keep the process alive), but only
// once what was written to stdout has been flushed to a pipe.
process.stdout.write("", () => process.exit(status));
