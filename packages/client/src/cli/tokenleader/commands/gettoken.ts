import { decodeJwt } from "jose";
import type { Argv } from "yargs";
import { isGetTokenSuccess } from "../../../client/responses.js";
import { loadClient } from "../../shared/load-client.js";
import { type GlobalFlags, outputMode, printJson, printLine } from "../../shared/output.js";

export interface GetTokenFlags extends GlobalFlags {
  authuser?: string;
  authpwd?: string;
  printToken?: boolean;
  service?: string;
}

export function gettokenBuilder(y: Argv): Argv<GetTokenFlags> {
  return y
    .option("authuser", { type: "string", describe: "user name (instead of tl_user)" })
    .option("authpwd", {
      type: "string",
      describe: "password (instead of the encrypted file; visible in shell history)",
    })
    .option("service", {
      type: "string",
      describe:
        "a token for this service of the catalog only (its aud); enforcers of other services refuse it",
    })
    .option("print-token", {
      type: "boolean",
      describe: "print only the token, for T=$(tokenleader gettoken --print-token)",
    }) as Argv<GetTokenFlags>;
}

/** `tokenleader gettoken`: logs in and prints the token (and the service catalog). */
export async function runGettoken(flags: GetTokenFlags): Promise<number> {
  const client = loadClient({
    config: flags.config,
    timeout: flags.timeout,
    user: flags.authuser,
    password: flags.authpwd,
  });
  try {
    const response = await client.getToken(
      flags.service === undefined ? {} : { service: flags.service },
    );
    const mode = outputMode(flags);
    const ok = isGetTokenSuccess(response);
    if (flags.printToken && ok) {
      printLine(response.auth_token);
    } else if (mode !== "readable") {
      printJson(response);
    } else if (ok) {
      const exp = safeExp(response.auth_token);
      printLine(`token:    ${response.auth_token}`);
      if (exp) printLine(`expires:  ${new Date(exp * 1000).toISOString()}`);
      if (flags.service !== undefined) printLine(`for:      ${flags.service}`);
      const services = Object.values(response.service_catalog);
      printLine(`services: ${services.length === 0 ? "(none)" : ""}`);
      for (const s of services) {
        printLine(
          `  ${s.name ?? "?"}  internal=${s.endpoint_url_internal ?? ""} external=${s.endpoint_url_external ?? ""} admin=${s.endpoint_url_admin ?? ""}`,
        );
      }
    }
    if (!ok) {
      process.stderr.write(
        `tokenleader: [AUTH] login refused: ${response.status.trim()}${response.message ? ` (${response.message})` : ""}\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    await client.close();
  }
}

function safeExp(token: string): number | undefined {
  try {
    const exp = decodeJwt(token).exp;
    return typeof exp === "number" ? exp : undefined;
  } catch {
    return undefined;
  }
}
