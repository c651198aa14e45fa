// The original tokenleader's wire-visible message strings (reference §4.5), typos and double
// spaces included: REST routes that promise wire compatibility return these under "status".
// New code paths (the CLI, new error bodies) use AppError messages instead.

export const originalMessages = {
  registered: (name: string) => `${name} has been registered.`,
  deleted: (name: string) => `${name} has been  deleted successfully`,
  /** Literally the word None: the original formatted a missing record's name. */
  deleteTargetMissing: () => "None  not found in database",
  integrityError: (name: string, detail: string) =>
    `databse integrity error, ${name} by the same name may be already present  or all the requredfileds has not been supplied.\n\n Full detail: ${detail}`,
  serviceIntegrityError: (name: string) =>
    `databse integrity error, ${name} by the same name may be already present`,
  couldNotRegister: (name: string, error: string) =>
    `${name} could not be registered , the erro is: \n  ${error}`,
  couldNotDelete: (name: string, error: string) =>
    `${name} could not be deleted , the erro is: \n  ${error}`,
  userRegistrationAborted: () => "user registration aborted",
  unknownRoles: (roles: readonly string[]) =>
    `following roles: [${roles.map((role) => `'${role}'`).join(", ")}] does not exist, create it first`,
  noSuchRecord: () => ({ error: "No such record is found" }),
  noServiceRegistered: () => ({ msg: "no service record has been registered yet" }),
  /** tokenrest's missing-key reply: leading space, 13 spaces, the keys as Python's json.dumps. */
  requiredKeysMissing: (keys: readonly string[]) =>
    ` the request must have the following             information [${keys.map((key) => JSON.stringify(key)).join(", ")}]`,
} as const;
