import { hideBin } from "yargs/helpers";
import { runTokenleaderCli } from "./run.js";

// The only place that ends the process: the commands return their exit status.
runTokenleaderCli(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tokenleader: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
