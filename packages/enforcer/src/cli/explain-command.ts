import { readFileSync } from "node:fs";
import {
  type CliIo,
  escapeControlCharacters,
  escapeJsonForTerminal,
  readAllStdin,
  stripOneTrailingNewline,
} from "@tokenleader/client/terminal";
import { decodeJwt } from "jose";
import { loadAclMap } from "../acl/load-acl-map.js";
import { describeGrant } from "../authorize.js";
import { createEnforcer } from "../enforcer.js";
import { EnforcerError } from "../errors.js";
import { type Explanation, explainClaims } from "../explain.js";

export interface ExplainFlags {
  acl: string;
  rule: string;
  token: string;
  param?: string[];
  publicKey?: string;
  issuer?: string;
  json?: boolean;
}

const PROGRAM = "tokenleader-enforcer";

/** `tokenleader-enforcer explain`: 0 allowed, 1 denied, 2 usage or configuration error. */
export async function runExplain(flags: ExplainFlags, io: CliIo): Promise<number> {
  const usage = (message: string) => {
    io.err(`${PROGRAM}: ${escapeControlCharacters(message)}\n`);
    return 2;
  };
  const params: Record<string, string> = {};
  for (const pair of flags.param ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) return usage(`--param ${pair}: expected name=value`);
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const token = (
    flags.token === "-" ? stripOneTrailingNewline(await readAllStdin()) : flags.token
  ).trim();
  if (token === "") return usage("--token is empty");

  let explanation: Explanation;
  try {
    explanation =
      flags.publicKey === undefined
        ? await explainDecoded(flags, token, params)
        : await explainVerified(flags, token, params);
  } catch (err) {
    if (err instanceof EnforcerError || err instanceof UsageProblem) return usage(err.message);
    throw err;
  }
  if (flags.json) io.out(`${escapeJsonForTerminal(JSON.stringify(explanation, null, 2))}\n`);
  else io.out(`${escapeControlCharacters(describe(explanation))}\n`);
  return explanation.allowed ? 0 : 1;
}

class UsageProblem extends Error {}

async function explainDecoded(
  flags: ExplainFlags,
  token: string,
  params: Record<string, string>,
): Promise<Explanation> {
  const map = await loadAclMap(flags.acl);
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new UsageProblem("--token is not a JWT (three base64url parts with a JSON payload)");
  }
  return explainClaims(claims, flags.rule, map, { params });
}

async function explainVerified(
  flags: ExplainFlags,
  token: string,
  params: Record<string, string>,
): Promise<Explanation> {
  let publicKey: string;
  try {
    publicKey = readFileSync(flags.publicKey!, "utf8");
  } catch (err) {
    throw new UsageProblem(`--public-key ${flags.publicKey}: ${(err as Error).message}`);
  }
  // Without --issuer, whatever the token names is accepted: the signature is what is checked.
  let issuer = flags.issuer;
  if (issuer === undefined) {
    try {
      const iss = decodeJwt(token).iss;
      issuer = typeof iss === "string" && iss !== "" ? iss : undefined;
    } catch {
      // Not a JWT: verification below refuses it with a reason.
    }
  }
  const quiet = { error() {}, warn() {}, info() {} };
  const enforcer = createEnforcer({
    roleToAclMapFile: flags.acl,
    watchAclFile: false,
    publicKey,
    ...(issuer === undefined ? { issuer: "-", acceptMissingIssuer: true } : { issuer }),
    logger: quiet,
  });
  try {
    return await enforcer.explain(token, flags.rule, { params });
  } finally {
    enforcer.close();
  }
}

/** One line for people: the verdict and its reason. */
function describe(explanation: Explanation): string {
  if (!explanation.allowed) return `denied (${explanation.code}): ${explanation.reason}`;
  if (explanation.grantedBy) {
    return `allowed: ${describeGrant({
      ...explanation.grantedBy,
      pattern: explanation.grantedBy.rule,
    })} grants rule '${explanation.rule}'`;
  }
  return `allowed: ${explanation.reason}`;
}
