import type { Argv } from "yargs";
import { readAllStdin } from "../../../terminal/read-stdin.js";
import { VERIFY_STATUS } from "../../../token/wire-strings.js";
import { loadClient } from "../../shared/load-client.js";
import {
  formatCell,
  type GlobalFlags,
  outputMode,
  printJson,
  printLine,
  reportError,
} from "../../shared/output.js";

export interface VerifyFlags extends GlobalFlags {
  token: string;
  remote?: boolean;
}

/** Exit statuses of `tokenleader verify` (2 is a usage error, as for every command). */
export const VERIFY_EXIT = {
  valid: 0,
  /** A verdict: the token is expired or invalid. */
  notValid: 1,
  /** No verdict: keys or server unreachable (NETWORK, TLS, TIMEOUT…), config unusable. */
  notChecked: 3,
} as const;

export function verifyBuilder(y: Argv): Argv<VerifyFlags> {
  return y
    .option("token", {
      alias: "t",
      type: "string",
      demandOption: true,
      describe: 'the JWT to verify ("-" reads it from standard input)',
    })
    .option("remote", {
      type: "boolean",
      describe: "ask the server (GET /token/verify_token) instead of verifying locally",
    })
    .epilog(
      "Exit status: 0 valid; 1 expired or invalid; 2 usage error; 3 not checked (the signing keys " +
        "or the server could not be reached, or the config is unusable): a token is never called " +
        "invalid because the server is down.",
    ) as Argv<VerifyFlags>;
}

/**
 * `tokenleader verify -t TOKEN`: exit 0 only when the token is valid, 1 when it is expired or
 * invalid, 3 when no verdict could be reached (see VERIFY_EXIT).
 */
export async function runVerify(flags: VerifyFlags): Promise<number> {
  try {
    return await verifyAndPrint(flags);
  } catch (err) {
    const status = reportError("tokenleader", err, outputMode(flags));
    return status === 2 ? status : VERIFY_EXIT.notChecked;
  }
}

async function verifyAndPrint(flags: VerifyFlags): Promise<number> {
  const token = flags.token === "-" ? (await readAllStdin()).trim() : flags.token.trim();
  const client = loadClient({ config: flags.config, timeout: flags.timeout });
  try {
    const result = flags.remote
      ? await client.verifyTokenRemote(token)
      : await client.verifyToken(token);
    const mode = outputMode(flags);
    if (mode === "compat") {
      const { status, message, payload } = result;
      printJson({ status, message, payload });
    } else if (mode === "json") {
      printJson(result);
    } else {
      printLine(`status:   ${result.status}`);
      printLine(`message:  ${result.message}`);
      const payload = result.payload as { sub?: Record<string, unknown>; exp?: number } | string;
      if (typeof payload === "object" && payload?.sub) {
        const sub = payload.sub;
        printLine(`user:     ${describeTokenUser(sub)}`);
        printLine(`roles:    ${formatCell(sub.roles)}`);
        const wfc = sub.wfc as Record<string, unknown> | null | undefined;
        if (wfc) {
          printLine(
            `wfc:      ${formatCell(wfc.name)} (org ${formatCell(wfc.org)}, ou ${formatCell(wfc.orgunit)}, dept ${formatCell(wfc.department)})`,
          );
        }
        if (typeof payload.exp === "number")
          printLine(`expires:  ${new Date(payload.exp * 1000).toISOString()}`);
      } else if (typeof payload === "string") {
        printLine(`payload:  ${payload}`);
      }
      const reason = (result as { reason?: string }).reason;
      if (reason) printLine(`reason:   ${reason}`);
    }
    return result.status === VERIFY_STATUS.success ? VERIFY_EXIT.valid : VERIFY_EXIT.notValid;
  } finally {
    await client.close();
  }
}

/**
 * The token's user as one line, e.g. `user1 (id 2, email user1@example.org)`. A detail the token
 * leaves empty (the bootstrap administrator has no e-mail) is left out, not printed as `email )`.
 */
export function describeTokenUser(sub: Record<string, unknown>): string {
  const details = [
    ["id", formatCell(sub.id)],
    ["email", formatCell(sub.email)],
  ]
    .filter(([, value]) => value !== "")
    .map(([label, value]) => `${label} ${value}`);
  const username = formatCell(sub.username);
  return details.length > 0 ? `${username} (${details.join(", ")})` : username;
}
