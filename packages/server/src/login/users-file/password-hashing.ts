// The password primitives the users.yaml backend uses, taken from the shared `passwords/`
// module; this adapter only fixes the call shapes used in this folder.

import {
  type Argon2Params,
  DEFAULT_ARGON2_PARAMS,
  dummyVerify as sharedDummyVerify,
  verifyPassword as sharedVerifyPassword,
} from "../../passwords/index.js";

export {
  type Argon2Params,
  DEFAULT_ARGON2_PARAMS,
  hashPassword,
  saltedSha256 as saltedSha256Hex,
  verifySaltedSha256,
} from "../../passwords/index.js";

/** Checks an argon2 PHC hash; anything else (or a malformed hash) fails at the same cost. */
export async function verifyPassword(
  password: string,
  phc: string,
  params: Argon2Params = DEFAULT_ARGON2_PARAMS,
): Promise<{ ok: boolean; needsRehash: boolean }> {
  const check = await sharedVerifyPassword(password, phc, params);
  return { ok: check.ok && check.scheme === "argon2", needsRehash: check.needsRehash };
}

/** One throw-away argon2id verification: unknown users cost what known users cost. */
export function dummyVerify(params: Argon2Params = DEFAULT_ARGON2_PARAMS): Promise<false> {
  return sharedDummyVerify("", params);
}
