import { parseOptions } from "@node-rs/argon2";
import { serverMetrics } from "../metrics/index.js";
import { hashSlots } from "./hash-slots.js";
import { hashThreads } from "./hash-threads.js";

/** argon2id cost parameters (memory in KiB). Same shape as `Settings.passwords`. */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's first recommendation: m=19 MiB, t=2, p=1. */
export const DEFAULT_ARGON2_PARAMS: Readonly<Argon2Params> = Object.freeze({
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
});

/**
 * Hashes a password with argon2id into a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), in
 * one of the process's hash slots (AppError BUSY when they and their queue are full).
 */
export function hashPassword(
  password: string,
  params: Argon2Params = DEFAULT_ARGON2_PARAMS,
): Promise<string> {
  // Timed like a verification: the wait for a hash slot included.
  return serverMetrics.timePassword(
    "hash",
    () => "argon2",
    () => hashSlots.run(() => hashThreads.hash(password, params)),
  );
}

export function isArgon2Hash(stored: string): boolean {
  return /^\$argon2(id|i|d)\$/.test(stored);
}

/**
 * Verifies an argon2 PHC hash in a hash slot (AppError BUSY when they and their queue are full);
 * `needsRehash` when it is not argon2id or is cheaper than `params`.
 */
export async function verifyArgon2(
  password: string,
  stored: string,
  params: Argon2Params,
): Promise<{ ok: boolean; needsRehash: boolean }> {
  // A malformed hash never matches (the hash thread answers false).
  const ok = await hashSlots.run(() => hashThreads.verify(stored, password));
  if (!ok) return { ok, needsRehash: false };
  const used = parseOptions(stored);
  const needsRehash =
    !stored.startsWith("$argon2id$") ||
    used.memoryCost < params.memoryCost ||
    used.timeCost < params.timeCost ||
    used.parallelism < params.parallelism;
  return { ok, needsRehash };
}
