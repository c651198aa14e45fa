import { hideBin } from "yargs/helpers";
import { runTokenleaderAuthCli } from "./run.js";

// The only place that ends the process.
runTokenleaderAuthCli(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tokenleader-auth: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
