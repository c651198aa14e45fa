import { verify } from "@node-rs/argon2";
import { type Argon2Params, DEFAULT_ARGON2_PARAMS, hashPassword } from "./argon2.js";

// One throw-away hash per parameter set, made on first use: verifying against it costs exactly
// what verifying a real user's hash costs.
const dummyHashes = new Map<string, Promise<string>>();

function dummyHashFor(params: Argon2Params): Promise<string> {
  const key = `${params.memoryCost}:${params.timeCost}:${params.parallelism}`;
  let pending = dummyHashes.get(key);
  if (!pending) {
    pending = hashPassword("tokenleader-dummy-password", params);
    dummyHashes.set(key, pending);
  }
  return pending;
}

/**
 * Spends the time of one real password check and always fails. Call it for unknown users so
 * "no such user" and "wrong password" take the same time (no user enumeration by timing).
 */
export async function dummyVerify(
  password = "",
  params: Argon2Params = DEFAULT_ARGON2_PARAMS,
): Promise<false> {
  await verify(await dummyHashFor(params), password);
  return false;
}
