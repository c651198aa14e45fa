// A login is a chain of database statements around its password hash. On SQLite every statement
// completes synchronously, so the chain runs as one block of promise continuations: ~1 ms in
// which the event loop answers nothing else, however many token verifications are waiting.
// Awaiting this between the statements of a login splits that block: each step is queued behind
// the I/O that arrived meanwhile (setImmediate runs after the poll phase), so a verification
// never waits for more than one statement of a login. Costs about a microsecond.

export function letWaitingRequestsRun(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
