// Maps a tokenleader 1.x snapshot onto this server's records. The 1.8 data model had one-to-one
// links on the wrong side (reference §4.1): a wfc belonged to at most one user and an org, org
// unit or department to at most one wfc, so re-using one silently took it from the earlier
// holder. Those holders are left with no link; they are reported, never guessed.
import { storedHashScheme } from "../passwords/verify-password.js";
import type {
  ImportPlan,
  PlannedService,
  PlannedUser,
  PlannedWfc,
} from "../services/import-plan.js";
import { emailSchema, optionalUrlSchema, requiredUrlSchema } from "../services/validation.js";
import { acceptNames, PlanProblems, ruleProblem } from "./plan-names.js";
import type { Tokenleader1Snapshot } from "./tokenleader1-snapshot.js";

const LINK_WORDS = {
  org: { label: "organization", table: "organization" },
  ou: { label: "org unit", table: "org_unit" },
  dept: { label: "department", table: "department" },
} as const;

export function planTokenleader1Import(snapshot: Tokenleader1Snapshot, source: string): ImportPlan {
  const problems = new PlanProblems();
  const old = snapshot.shape === "1.8";
  const orgNames = acceptNames("org", snapshot.orgs, problems);
  const ouNames = acceptNames("ou", snapshot.orgUnits, problems);
  const deptNames = acceptNames("dept", snapshot.departments, problems);
  const roleNames = acceptNames("role", snapshot.roles, problems);
  const wfcNames = acceptNames("wfc", snapshot.wfcs, problems);

  /** The one linked record's name, or why there is none (id lists: see the snapshot). */
  const linked = (
    kind: keyof typeof LINK_WORDS,
    ids: number[],
    names: Map<number, string>,
    wfcName: string,
  ): { name: string } | { missing: string } | { reason: string } => {
    const words = LINK_WORDS[kind];
    if (ids.length === 0) return { missing: words.label };
    const [first, ...others] = [...ids].sort((a, b) => a - b);
    const name = names.get(first!);
    if (name === undefined) {
      return { reason: `its ${words.label} (id ${first}) is missing or was not imported` };
    }
    if (others.length > 0) {
      problems.warn(
        "wfc",
        wfcName,
        `several ${words.label}s are linked to it (${ids.map((i) => names.get(i) ?? `id ${i}`).join(", ")}); took "${name}", the one 1.8 loaded first`,
      );
    }
    return { name };
  };
  /** "no organization or org unit is linked to it…", one sentence for all missing links. */
  const missingLinks = (labels: string[]) => {
    const list =
      labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}`;
    return old
      ? `no ${list} is linked to it: in 1.8 each belongs to one wfc, and registering another wfc with the same one took it from this one`
      : `it names no ${list}`;
  };

  const wfcs: PlannedWfc[] = [];
  /** wfc id → why it was not imported (its users are then linked only to a wfc already here). */
  const brokenWfcs = new Map<number, { name: string; reason: string }>();
  for (const wfc of snapshot.wfcs) {
    const name = wfcNames.get(wfc.id);
    if (name === undefined) continue;
    const org = linked("org", wfc.orgIds, orgNames, name);
    const ou = linked("ou", wfc.orgUnitIds, ouNames, name);
    const dept = linked("dept", wfc.departmentIds, deptNames, name);
    const links = [org, ou, dept];
    const missing = links.flatMap((link) => ("missing" in link ? [link.missing] : []));
    const reasons = [
      ...(missing.length > 0 ? [missingLinks(missing)] : []),
      ...links.flatMap((link) => ("reason" in link ? [link.reason] : [])),
    ];
    if ("name" in org && "name" in ou && "name" in dept) {
      wfcs.push({ name, org: org.name, orgUnit: ou.name, department: dept.name });
    } else {
      const reason = reasons.join("; ");
      problems.skip("wfc", name, reason);
      brokenWfcs.set(wfc.id, { name, reason });
    }
  }

  const users: PlannedUser[] = [];
  const emailHolders = new Map<string, string>();
  const userNames = acceptNames(
    "user",
    snapshot.users.map((user) => ({ id: user.id, name: user.username })),
    problems,
  );
  for (const user of snapshot.users) {
    const username = userNames.get(user.id);
    if (username === undefined) continue;
    const scheme = storedHashScheme(user.passwordHash);
    if (user.passwordHash === null || user.passwordHash === "") {
      problems.skip(
        "user",
        username,
        "has no password hash (1.x could not log this user in either)",
      );
      continue;
    }
    if (scheme === "unknown") {
      const method = user.passwordHash.split("$")[0]?.slice(0, 30) ?? "";
      problems.skip(
        "user",
        username,
        `its password hash is in a format this server cannot check (method "${method}"); set a new password after the import`,
      );
      continue;
    }
    const wfcId = [...user.wfcIds].sort((a, b) => a - b)[0];
    if (wfcId === undefined) {
      problems.skip(
        "user",
        username,
        old
          ? "has no wfc: in 1.8 a wfc belongs to one user, and assigning it to another user takes it from this one (1.8 could not issue this user a token)"
          : "its wfc_id names no wfc",
      );
      continue;
    }
    const wfcName =
      wfcNames.get(wfcId) ?? snapshot.wfcs.find((wfc) => wfc.id === wfcId)?.name?.trim();
    if (wfcName === undefined) {
      problems.skip("user", username, `its wfc (id ${wfcId}) is missing or was not imported`);
      continue;
    }
    if (user.wfcIds.length > 1) {
      problems.warn(
        "user",
        username,
        `several wfcs are linked to it (ids ${user.wfcIds.join(", ")}); took "${wfcName}", the one 1.8 loaded first`,
      );
    }
    const roles: string[] = [];
    for (const roleId of user.roleIds) {
      const role = roleNames.get(roleId);
      if (role === undefined) {
        problems.warn(
          "user",
          username,
          `role id ${roleId} not granted: that role was not imported`,
        );
      } else if (!roles.includes(role)) {
        roles.push(role);
      }
    }
    let email: string | null = null;
    const emailProblem = ruleProblem(emailSchema, user.email);
    if (emailProblem !== null) {
      problems.warn("user", username, `imported without its e-mail: the e-mail ${emailProblem}`);
    } else {
      email = emailSchema.parse(user.email);
      const holder = email === null ? undefined : emailHolders.get(email);
      if (email !== null && holder !== undefined) {
        problems.warn(
          "user",
          username,
          `imported without its e-mail: "${email}" is also the e-mail of user "${holder}" (e-mails are unique)`,
        );
        email = null;
      } else if (email !== null) {
        emailHolders.set(email, username);
      }
    }
    const broken = brokenWfcs.get(wfcId);
    users.push({
      username,
      email,
      passwordHash: user.passwordHash,
      roles,
      wfc: wfcName,
      ...(broken ? { wfcNotImported: broken.reason } : {}),
    });
  }

  for (const link of snapshot.danglingRoleLinks) {
    problems.skip(
      "role grant",
      `user id ${link.userId} / role id ${link.roleId}`,
      "roles_n_user_map names a user or role that is not in the source",
    );
  }

  const services: PlannedService[] = [];
  const serviceNames = acceptNames("service", snapshot.services, problems);
  for (const service of snapshot.services) {
    const name = serviceNames.get(service.id);
    if (name === undefined) continue;
    const internalProblem = ruleProblem(requiredUrlSchema, service.urlInternal);
    if (internalProblem !== null) {
      problems.skip("service", name, `its internal URL ${internalProblem}`);
      continue;
    }
    const url = (value: string | null, which: string) => {
      const problem = ruleProblem(optionalUrlSchema, value);
      if (problem === null) return optionalUrlSchema.parse(value);
      problems.warn("service", name, `imported without its ${which} URL: it ${problem}`);
      return null;
    };
    let passwordHash = service.passwordHash === "" ? null : service.passwordHash;
    if (passwordHash !== null && storedHashScheme(passwordHash) === "unknown") {
      problems.warn("service", name, "imported without its password: the hash format is unknown");
      passwordHash = null;
    }
    services.push({
      name,
      passwordHash,
      urlInternal: requiredUrlSchema.parse(service.urlInternal),
      urlExternal: url(service.urlExternal, "external"),
      urlAdmin: url(service.urlAdmin, "admin"),
    });
  }

  return {
    format: "tokenleader1",
    source,
    sourceShape: `tokenleader ${old ? "1.8 schema (org_unit, one-to-one links)" : "corrected schema (orgunit, user.wfc_id)"}${snapshot.revision ? `, alembic revision ${snapshot.revision}` : ""}`,
    orgs: snapshot.orgs.flatMap((org) => {
      const name = orgNames.get(org.id);
      return name === undefined
        ? []
        : [{ name, orgtype: org.orgtype, authBackend: org.authBackend }];
    }),
    orgUnits: [...ouNames.values()],
    departments: [...deptNames.values()],
    roles: [...roleNames.values()],
    wfcs,
    users,
    services,
    notMapped: problems.notMapped,
    warnings: problems.warnings,
  };
}
