import { type CliIo, parseCommandLine, processIo } from "@tokenleader/client/terminal";
import yargs from "yargs";
import { type ExplainFlags, runExplain } from "./explain-command.js";

const PROGRAM = "tokenleader-enforcer";

/** Parses argv and runs the command; returns the exit status (never exits the process). */
export async function runEnforcerCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let command: Promise<number> | undefined;
  const parser = yargs(argv)
    .scriptName(PROGRAM)
    .usage("$0 <command> [options]\n\nTools for services protected by @tokenleader/enforcer.")
    .command(
      "explain",
      "say which role and ACL entry grant a rule to a token, or why none does",
      (y) =>
        y
          .usage(
            "$0 explain --acl <file> --rule <rule> --token <token> [--param name=value ...]\n\n" +
              "Decides like the enforcer would, and says why: the granting role and the entry (with its " +
              "line in the ACL file), or the reason for a refusal (no such rule, no role matches, or a " +
              "wfc condition that failed: expected …, got …).\n\n" +
              "Without --public-key the token is only DECODED, NOT VERIFIED: its signature, expiry and " +
              "issuer are not checked, so the answer is about the ACL, not about whether the token is " +
              "genuine. With --public-key it is verified as the enforcer would.\n\n" +
              "Exit status: 0 allowed, 1 denied, 2 usage or configuration error.",
          )
          .option("acl", {
            type: "string",
            demandOption: true,
            describe: "the role_to_acl_map.yml to decide with",
          })
          .option("rule", { type: "string", demandOption: true, describe: "the rule name" })
          .option("token", {
            type: "string",
            demandOption: true,
            // Takes the next word even when it is "-" (yargs would otherwise see a positional).
            nargs: 1,
            describe: "the token (a JWT); '-' reads it from standard input",
          })
          .option("param", {
            type: "string",
            array: true,
            describe: "a route parameter of the request, name=value (repeatable), e.g. org=org1",
          })
          .option("public-key", {
            type: "string",
            describe:
              "file with the token server's public key (PEM, ssh-rsa line or JWK): verify the token",
          })
          .option("issuer", {
            type: "string",
            describe: "with --public-key: the iss the token must carry (default: not checked)",
          })
          .option("json", { type: "boolean", describe: "print the explanation as JSON" }),
      (flags) => {
        command = runExplain(flags as unknown as ExplainFlags, io);
      },
    )
    .demandCommand(1, "name a command (explain)");

  // This package's package.json: two folders up from src/cli/ and dist/cli/ alike.
  const { flags, usageError } = await parseCommandLine(
    parser,
    new URL("../../package.json", import.meta.url),
  );
  if (usageError !== null) {
    io.err(`${PROGRAM}: ${usageError} (see "${PROGRAM} --help")\n`);
    return 2;
  }
  // yargs printed the help or the version: nothing else to do.
  if (flags.help || flags.version || command === undefined) return 0;
  return command;
}
