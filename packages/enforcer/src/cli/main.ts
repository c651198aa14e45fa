import { hideBin } from "yargs/helpers";
import { runEnforcerCli } from "./run.js";

// The only place that ends the process.
runEnforcerCli(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `tokenleader-enforcer: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(2);
  },
);
