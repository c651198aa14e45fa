import { type Argon2Params, DEFAULT_ARGON2_PARAMS, hashPassword } from "./argon2.js";
import { hashSlots } from "./hash-slots.js";
import { hashThreads } from "./hash-threads.js";

// One throw-away hash per parameter set, made on first use: verifying against it costs exactly
// what verifying a real user's hash costs.
const dummyHashes = new Map<string, Promise<string>>();

function dummyHashFor(params: Argon2Params): Promise<string> {
  const key = `${params.memoryCost}:${params.timeCost}:${params.parallelism}`;
  let pending = dummyHashes.get(key);
  if (!pending) {
    pending = hashPassword("tokenleader-dummy-password", params);
    dummyHashes.set(key, pending);
    // Refused (BUSY) or failed: the next call tries again instead of inheriting the failure.
    pending.catch(() => dummyHashes.delete(key));
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
  const dummy = await dummyHashFor(params);
  await hashSlots.run(() => hashThreads.verify(dummy, password));
  return false;
}
