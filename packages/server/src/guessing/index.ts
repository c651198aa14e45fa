// The guessing policy: one limit on password guessing for every password check, kept in the
// database. See docs/guessing-policy.md.
export {
  createGuessingPolicy,
  type GuardedCheck,
  type GuessingPolicy,
  type GuessOutcome,
  type PasswordAttempt,
} from "./guessing-policy.js";
export { createLockoutsService, type Lockout, type LockoutsService } from "./lockouts.js";
