// Maps a WESkit users.yaml (reference weskit-login.md §5; read by the login's own parser, so the
// file means here what it means to the cookie login) onto database users: roles by name (created
// when missing), the legacy salted sha256 kept as `weskit-sha256$salt$hex` and upgraded to
// argon2id at the user's next login, and a wfc only when one is named (WESkit has none).
import { readFile, stat } from "node:fs/promises";
import { AppError } from "../errors.js";
import { MAX_USERS_FILE_BYTES, parseUsersFile } from "../login/users-file/parse-users-file.js";
import { formatStoredSaltedSha256 } from "../passwords/salted-sha256.js";
import type { ImportPlan, PlannedUser } from "../services/import-plan.js";
import { emailSchema, nameSchema } from "../services/validation.js";
import { acceptNames, PlanProblems, ruleProblem } from "./plan-names.js";

export interface WeskitImportOptions {
  /** The wfc of users whose entry names none (null: no wfc). */
  wfc: string | null;
}

export async function readWeskitUsersPlan(
  file: string,
  options: WeskitImportOptions,
): Promise<ImportPlan> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === "ENOENT" ? "does not exist" : `cannot be read (${error.code})`;
    throw new AppError("IMPORT_SOURCE_UNREADABLE", `the users file ${file} ${why}`);
  });
  if (!info.isFile()) throw new AppError("IMPORT_SOURCE_UNREADABLE", `${file} is not a file`);
  if (info.size > MAX_USERS_FILE_BYTES) {
    throw new AppError(
      "IMPORT_SOURCE_UNREADABLE",
      `the users file ${file} is larger than ${MAX_USERS_FILE_BYTES} bytes`,
    );
  }
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new AppError(
      "IMPORT_SOURCE_UNREADABLE",
      `the users file ${file} cannot be read (${error.code})`,
    );
  });
  return planWeskitUsersImport(text, file, options);
}

export function planWeskitUsersImport(
  text: string,
  source: string,
  options: WeskitImportOptions,
): ImportPlan {
  const parsed = parseUsersFile(text);
  if (!parsed.ok) {
    throw new AppError("IMPORT_SOURCE_UNREADABLE", `the users file ${source}: ${parsed.message}`);
  }
  const problems = new PlanProblems();
  for (const skipped of parsed.skipped) problems.skip("user", skipped.username, skipped.reason);

  const entries = [...parsed.users.values()];
  const names = acceptNames(
    "user",
    entries.map((user, index) => ({ id: index, name: user.username })),
    problems,
  );
  const roles: string[] = [];
  const users: PlannedUser[] = [];
  entries.forEach((entry, index) => {
    const username = names.get(index);
    if (username === undefined) return;
    const userRoles: string[] = [];
    for (const role of entry.roles) {
      const problem = ruleProblem(nameSchema, role);
      if (problem !== null) {
        problems.warn("user", username, `role "${role}" not granted: its name ${problem}`);
        continue;
      }
      const name = role.trim();
      if (!userRoles.includes(name)) userRoles.push(name);
      if (!roles.includes(name)) roles.push(name);
    }
    let email: string | null = null;
    const emailProblem = ruleProblem(emailSchema, entry.email);
    if (emailProblem !== null) {
      problems.warn("user", username, `imported without its e-mail: the e-mail ${emailProblem}`);
    } else {
      email = emailSchema.parse(entry.email);
    }
    let wfc = options.wfc;
    if (typeof entry.wfc === "string") wfc = entry.wfc;
    else if (entry.wfc !== undefined) {
      problems.warn(
        "user",
        username,
        `its written-out wfc (${entry.wfc.org}/${entry.wfc.orgunit}/${entry.wfc.department}) is not imported: ${wfc === null ? "the user has no wfc" : `the user gets "${wfc}"`}; create the wfc with adminops addwfc and name it in the file`,
      );
    }
    const password = entry.password;
    users.push({
      username,
      email,
      passwordHash:
        password.kind === "argon2"
          ? password.phc
          : formatStoredSaltedSha256(password.salt, password.hex),
      roles: userRoles,
      wfc,
    });
  });

  return {
    format: "weskit-users",
    source,
    sourceShape: "WESkit users.yaml",
    orgs: [],
    orgUnits: [],
    departments: [],
    roles,
    wfcs: [],
    users,
    services: [],
    notMapped: problems.notMapped,
    warnings: problems.warnings,
  };
}
