// The one service layer behind `adminops` and the REST admin routes: registration, listing,
// deletion and password checks for orgs, org units, departments, roles, wfcs, users and the
// service catalog. Every write is one transaction; every refusal is an AppError with a stable
// code and a message naming the record involved.
import { z } from "zod";
import type { Settings } from "../config/settings-types.js";
import type { Database } from "../db/open-database.js";
import { AppError } from "../errors.js";
import { hashPassword } from "../passwords/argon2.js";
import { dummyVerify } from "../passwords/dummy-verify.js";
import { verifyPassword } from "../passwords/verify-password.js";
import { describeEntity, describeSome, type NamedKind } from "./entity-kinds.js";
import {
  type NamedRecord,
  type OrganizationRecord,
  type ServiceCatalog,
  type ServiceRecord,
  toServiceCatalog,
  toServiceRecord,
  toUserRecord,
  toWfcRecord,
  type UserRecord,
  userInclude,
  type WfcRecord,
  wfcInclude,
} from "./records.js";
import { inTransaction, reading, type Tx } from "./transactions.js";
import {
  emailSchema,
  existingNameSchema,
  nameSchema,
  optionalUrlSchema,
  passwordSchema,
  requiredUrlSchema,
  roleNamesSchema,
  validate,
} from "./validation.js";

export type CredentialsChange =
  | "deleted"
  | "password_changed"
  | "roles_changed"
  /** Nothing changed but the tokens: "log out everywhere" (a leaked token, a lost laptop). */
  | "tokens_revoked";

export interface AdminServiceHooks {
  /**
   * Called inside the transaction that deletes a user or changes their password or roles
   * (also for each user losing a deleted role). Throwing rolls the change back. The login work
   * revokes the user's sessions here.
   */
  onUserCredentialsChanged?: (
    username: string,
    change: { reason: CredentialsChange; tx: Tx },
  ) => Promise<void> | void /**
   * Called after the transaction that changed these users has committed (never after a
   * rollback): caches holding answers about their tokens can now be dropped for good.
   */;
  afterUserCredentialsCommitted?: (usernames: readonly string[]) => void;
}

export interface NewUser {
  username: string;
  password: string;
  email?: string | null;
  roles: readonly string[];
  wfc: string;
}

/** A change to an existing user: a new password, a new role list, or both. */
export interface UserChange {
  username: string;
  password?: string;
  roles?: readonly string[];
}

export interface NewService {
  name: string;
  password?: string | null;
  urlInternal: string;
  urlExternal?: string | null;
  urlAdmin?: string | null;
}

export type AuthenticationResult =
  | {
      ok: true;
      user: UserRecord;
      rehashed: boolean;
      /** The user's `tokens_valid_after` (ms; 0 for none), read with the password hash. */
      tokensValidAfterMs: number;
    }
  | { ok: false; reason: "missing" | "unknown_user" | "wrong_password" };

interface NamedDelegate {
  findUnique(args: { where: { name: string } }): Promise<NamedRecord | null>;
  findMany(args: { orderBy: { id: "asc" } }): Promise<NamedRecord[]>;
  create(args: { data: { name: string } }): Promise<NamedRecord>;
  delete(args: { where: { id: number } }): Promise<unknown>;
}

// The four "just a name" tables share one implementation; Prisma's delegates differ only in
// types, so each is viewed through the small interface above.
function namedTable(tx: Tx | Database["prisma"], kind: NamedKind): NamedDelegate {
  const tables = {
    org: tx.organization,
    ou: tx.orgUnit,
    dept: tx.department,
    role: tx.role,
  };
  return tables[kind] as unknown as NamedDelegate;
}

/** A record to look up, change or delete. */
const nameInput = z.object({ name: existingNameSchema });
/** A record to create. */
const newNameInput = z.object({ name: nameSchema });

export function createAdminService(
  db: Database,
  settings: Pick<Settings, "passwords">,
  hooks: AdminServiceHooks = {},
) {
  const passwordParams = settings.passwords;

  // Users whose credentials a running transaction changed, for the after-commit hook.
  const changedIn = new WeakMap<Tx, string[]>();

  async function credentialsChanged(tx: Tx, usernames: string[], reason: CredentialsChange) {
    changedIn.get(tx)?.push(...usernames);
    if (!hooks.onUserCredentialsChanged) return;
    for (const username of usernames)
      await hooks.onUserCredentialsChanged(username, { reason, tx });
  }

  /** inTransaction, then the after-commit hook for the users whose credentials it changed. */
  async function changing<T>(subject: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const changed: string[] = [];
    const result = await inTransaction(db, subject, (tx) => {
      changedIn.set(tx, changed);
      return work(tx);
    });
    if (changed.length > 0) hooks.afterUserCredentialsCommitted?.(changed);
    return result;
  }

  async function addNamed(kind: NamedKind, rawName: string, orgtype?: string) {
    const { name } = validate(newNameInput, { name: rawName });
    return changing(describeEntity(kind, name), async (tx) => {
      if (await namedTable(tx, kind).findUnique({ where: { name } })) {
        throw new AppError("ALREADY_EXISTS", `${describeEntity(kind, name)} already exists`);
      }
      if (kind === "org") {
        const org = await tx.organization.create({
          data: { name, orgtype: orgtype ?? "internal", authBackend: "standard" },
        });
        return { id: org.id, name: org.name, orgtype: org.orgtype };
      }
      const created = await namedTable(tx, kind).create({ data: { name } });
      return { id: created.id, name: created.name };
    });
  }

  async function listNamed(kind: NamedKind): Promise<NamedRecord[]> {
    const rows = await reading(() =>
      namedTable(db.prisma, kind).findMany({ orderBy: { id: "asc" } }),
    );
    return rows.map((row) => ({ id: row.id, name: row.name }));
  }

  async function getNamed(kind: NamedKind, rawName: string): Promise<NamedRecord | null> {
    const { name } = validate(nameInput, { name: rawName });
    const row = await reading(() => namedTable(db.prisma, kind).findUnique({ where: { name } }));
    return row ? { id: row.id, name: row.name } : null;
  }

  async function deleteNamed(kind: NamedKind, rawName: string): Promise<NamedRecord> {
    const { name } = validate(nameInput, { name: rawName });
    const subject = describeEntity(kind, name);
    return changing(subject, async (tx) => {
      const row = await namedTable(tx, kind).findUnique({ where: { name } });
      if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
      if (kind === "role") {
        // A role is detached from its users, as the original did; their tokens change, so the
        // credentials hook runs for each of them.
        const links = await tx.userRole.findMany({
          where: { roleId: row.id },
          include: { user: { select: { username: true } } },
        });
        await credentialsChanged(
          tx,
          links.map((link) => link.user.username),
          "roles_changed",
        );
      } else {
        const where =
          kind === "org"
            ? { orgId: row.id }
            : kind === "ou"
              ? { orgUnitId: row.id }
              : { departmentId: row.id };
        const total = await tx.workFunctionContext.count({ where });
        if (total > 0) {
          const users = await tx.workFunctionContext.findMany({
            where,
            select: { name: true },
            orderBy: { id: "asc" },
            take: 5,
          });
          throw new AppError(
            "STILL_REFERENCED",
            `${subject} is still used by ${describeSome(
              "wfc",
              users.map((wfc) => wfc.name),
              total,
            )}; delete or change those first`,
          );
        }
      }
      await namedTable(tx, kind).delete({ where: { id: row.id } });
      return { id: row.id, name: row.name };
    });
  }

  async function findUserRow(tx: Tx | Database["prisma"], username: string) {
    return tx.user.findUnique({ where: { username }, include: userInclude });
  }

  async function resolveRoles(tx: Tx, roles: string[]) {
    const found = await tx.role.findMany({ where: { name: { in: roles } } });
    const missing = roles.filter((role) => !found.some((row) => row.name === role));
    return { found, missing };
  }

  return {
    addOrg: (name: string, options: { orgtype?: string } = {}) =>
      addNamed("org", name, options.orgtype) as Promise<OrganizationRecord>,
    addOrgUnit: (name: string) => addNamed("ou", name),
    addDepartment: (name: string) => addNamed("dept", name),
    addRole: (name: string) => addNamed("role", name),

    listOrgs: async (): Promise<OrganizationRecord[]> => {
      const rows = await reading(() => db.prisma.organization.findMany({ orderBy: { id: "asc" } }));
      return rows.map((row) => ({ id: row.id, name: row.name, orgtype: row.orgtype }));
    },
    listOrgUnits: () => listNamed("ou"),
    listDepartments: () => listNamed("dept"),
    listRoles: () => listNamed("role"),
    getOrg: async (name: string): Promise<OrganizationRecord | null> => {
      const found = await getNamed("org", name);
      if (!found) return null;
      const row = await reading(() =>
        db.prisma.organization.findUnique({ where: { id: found.id } }),
      );
      return row ? { id: row.id, name: row.name, orgtype: row.orgtype } : null;
    },
    getOrgUnit: (name: string) => getNamed("ou", name),
    getDepartment: (name: string) => getNamed("dept", name),
    getRole: (name: string) => getNamed("role", name),
    deleteOrg: (name: string) => deleteNamed("org", name),
    deleteOrgUnit: (name: string) => deleteNamed("ou", name),
    deleteDepartment: (name: string) => deleteNamed("dept", name),
    deleteRole: (name: string) => deleteNamed("role", name),

    /** A wfc links one org, one org unit and one department, all of which must exist. */
    async addWfc(
      rawName: string,
      rawOrg: string,
      rawOrgUnit: string,
      rawDepartment: string,
    ): Promise<WfcRecord> {
      const input = validate(
        z.object({
          name: nameSchema,
          org: existingNameSchema,
          ou: existingNameSchema,
          dept: existingNameSchema,
        }),
        { name: rawName, org: rawOrg, ou: rawOrgUnit, dept: rawDepartment },
      );
      const subject = describeEntity("wfc", input.name);
      return changing(subject, async (tx) => {
        if (await tx.workFunctionContext.findUnique({ where: { name: input.name } })) {
          throw new AppError("ALREADY_EXISTS", `${subject} already exists`);
        }
        // One after the other: a transaction is one connection, and pg refuses overlapping queries.
        const org = await tx.organization.findUnique({ where: { name: input.org } });
        const orgUnit = await tx.orgUnit.findUnique({ where: { name: input.ou } });
        const department = await tx.department.findUnique({ where: { name: input.dept } });
        const missing = [
          org ? null : describeEntity("org", input.org),
          orgUnit ? null : describeEntity("ou", input.ou),
          department ? null : describeEntity("dept", input.dept),
        ].filter((entry): entry is string => entry !== null);
        if (!org || !orgUnit || !department) {
          throw new AppError(
            "UNKNOWN_REFERENCE",
            `cannot register ${subject}: ${missing.join(", ")} ${missing.length === 1 ? "does" : "do"} not exist; create ${missing.length === 1 ? "it" : "them"} first`,
            {
              details: missing.map((entry) => ({
                field: entry.split(" ")[0]!,
                problem: `${entry} does not exist`,
              })),
            },
          );
        }
        const row = await tx.workFunctionContext.create({
          data: {
            name: input.name,
            orgId: org.id,
            orgUnitId: orgUnit.id,
            departmentId: department.id,
          },
          include: wfcInclude,
        });
        return toWfcRecord(row);
      });
    },
    async listWfcs(): Promise<WfcRecord[]> {
      const rows = await reading(() =>
        db.prisma.workFunctionContext.findMany({ include: wfcInclude, orderBy: { id: "asc" } }),
      );
      return rows.map(toWfcRecord);
    },
    async getWfc(rawName: string): Promise<WfcRecord | null> {
      const { name } = validate(nameInput, { name: rawName });
      const row = await reading(() =>
        db.prisma.workFunctionContext.findUnique({ where: { name }, include: wfcInclude }),
      );
      return row ? toWfcRecord(row) : null;
    },
    async deleteWfc(rawName: string): Promise<WfcRecord> {
      const { name } = validate(nameInput, { name: rawName });
      const subject = describeEntity("wfc", name);
      return changing(subject, async (tx) => {
        const row = await tx.workFunctionContext.findUnique({
          where: { name },
          include: wfcInclude,
        });
        if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
        const total = await tx.user.count({ where: { wfcId: row.id } });
        if (total > 0) {
          const users = await tx.user.findMany({
            where: { wfcId: row.id },
            select: { username: true },
            orderBy: { id: "asc" },
            take: 5,
          });
          throw new AppError(
            "STILL_REFERENCED",
            `${subject} is still used by ${describeSome(
              "user",
              users.map((user) => user.username),
              total,
            )}; delete those users or move them to another wfc first`,
          );
        }
        await tx.workFunctionContext.delete({ where: { id: row.id } });
        return toWfcRecord(row);
      });
    },

    /**
     * Registers a user with an argon2id hash. Every role and the wfc must exist; otherwise
     * nothing is saved (the original saved a partial user).
     */
    async addUser(newUser: NewUser): Promise<UserRecord> {
      const input = validate(
        z.object({
          username: nameSchema,
          password: passwordSchema,
          email: emailSchema,
          roles: roleNamesSchema,
          wfc: existingNameSchema,
        }),
        newUser,
      );
      const subject = describeEntity("user", input.username);
      // Hashing is slow on purpose: do it before the transaction holds any lock.
      const passwordHash = await hashPassword(input.password, passwordParams);
      return changing(subject, async (tx) => {
        if (await tx.user.findUnique({ where: { username: input.username } })) {
          throw new AppError("ALREADY_EXISTS", `${subject} already exists`);
        }
        if (input.email !== null) {
          const holder = await tx.user.findUnique({ where: { email: input.email } });
          if (holder) {
            throw new AppError(
              "ALREADY_EXISTS",
              `e-mail "${input.email}" is already used by ${describeEntity("user", holder.username)}`,
            );
          }
        }
        const wfc = await tx.workFunctionContext.findUnique({ where: { name: input.wfc } });
        const { found, missing } = await resolveRoles(tx, input.roles);
        const problems = [
          ...missing.map((role) => describeEntity("role", role)),
          ...(wfc ? [] : [describeEntity("wfc", input.wfc)]),
        ];
        if (problems.length > 0 || !wfc) {
          throw new AppError(
            "UNKNOWN_REFERENCE",
            `cannot register ${subject}: ${problems.join(", ")} ${problems.length === 1 ? "does" : "do"} not exist; create ${problems.length === 1 ? "it" : "them"} first`,
            {
              details: problems.map((entry) => ({
                field: entry.startsWith("role") ? "roles" : "wfc",
                problem: `${entry} does not exist`,
              })),
            },
          );
        }
        const created = await tx.user.create({
          data: {
            username: input.username,
            email: input.email,
            passwordHash,
            wfcId: wfc.id,
            roles: { create: found.map((role) => ({ roleId: role.id })) },
          },
          include: userInclude,
        });
        return toUserRecord(created);
      });
    },
    async listUsers(): Promise<UserRecord[]> {
      const rows = await reading(() =>
        db.prisma.user.findMany({ include: userInclude, orderBy: { id: "asc" } }),
      );
      return rows.map(toUserRecord);
    },
    /**
     * The user with their `tokens_valid_after` (ms; 0 for none), for tokens that must be bound to
     * it (cookie-login refresh). Null when there is no such user.
     */
    async getUserForTokens(
      rawName: string,
    ): Promise<{ user: UserRecord; tokensValidAfterMs: number } | null> {
      const { name } = validate(nameInput, { name: rawName });
      const row = await reading(() => findUserRow(db.prisma, name));
      return row
        ? { user: toUserRecord(row), tokensValidAfterMs: row.tokensValidAfter?.getTime() ?? 0 }
        : null;
    },
    async getUser(rawName: string): Promise<UserRecord | null> {
      const { name } = validate(nameInput, { name: rawName });
      const row = await reading(() => findUserRow(db.prisma, name));
      return row ? toUserRecord(row) : null;
    },
    async deleteUser(rawName: string): Promise<UserRecord> {
      const { name } = validate(nameInput, { name: rawName });
      const subject = describeEntity("user", name);
      return changing(subject, async (tx) => {
        const row = await findUserRow(tx, name);
        if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
        await credentialsChanged(tx, [row.username], "deleted");
        await tx.user.delete({ where: { id: row.id } });
        return toUserRecord(row);
      });
    },
    /**
     * Ends every login session and every token issued so far of a user, changing nothing else
     * ("log out everywhere"); the user logs in again as before.
     */
    async revokeUserTokens(rawName: string): Promise<UserRecord> {
      const { name } = validate(nameInput, { name: rawName });
      const subject = describeEntity("user", name);
      return changing(subject, async (tx) => {
        const row = await findUserRow(tx, name);
        if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
        await credentialsChanged(tx, [row.username], "tokens_revoked");
        return toUserRecord(row);
      });
    },
    /**
     * Changes a user's password and/or roles (all roles must exist; `roles` replaces the list) in
     * one transaction. Either change ends the user's login sessions and earlier bearer tokens
     * (the credentials hook).
     */
    async updateUser(change: UserChange): Promise<UserRecord> {
      const input = validate(
        z.object({
          name: existingNameSchema,
          password: passwordSchema.optional(),
          roles: roleNamesSchema.optional(),
        }),
        {
          name: change.username,
          password: change.password,
          roles: change.roles && [...change.roles],
        },
      );
      const subject = describeEntity("user", input.name);
      if (input.password === undefined && input.roles === undefined) {
        throw new AppError(
          "VALIDATION_FAILED",
          `nothing to change for ${subject}: give a new password, roles or both`,
          { details: [{ field: "password", problem: "give a new password, roles or both" }] },
        );
      }
      const passwordHash =
        input.password === undefined
          ? undefined
          : await hashPassword(input.password, passwordParams);
      return changing(subject, async (tx) => {
        const row = await tx.user.findUnique({ where: { username: input.name } });
        if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
        if (passwordHash !== undefined) {
          await tx.user.update({ where: { id: row.id }, data: { passwordHash } });
          await credentialsChanged(tx, [row.username], "password_changed");
        }
        if (input.roles !== undefined) {
          const { found, missing } = await resolveRoles(tx, input.roles);
          if (missing.length > 0) {
            throw new AppError(
              "UNKNOWN_REFERENCE",
              `cannot change the roles of ${subject}: ${missing.map((role) => describeEntity("role", role)).join(", ")} ${missing.length === 1 ? "does" : "do"} not exist; create ${missing.length === 1 ? "it" : "them"} first`,
              {
                details: missing.map((role) => ({
                  field: "roles",
                  problem: `${describeEntity("role", role)} does not exist`,
                })),
              },
            );
          }
          await tx.userRole.deleteMany({ where: { userId: row.id } });
          await tx.userRole.createMany({
            data: found.map((role) => ({ userId: row.id, roleId: role.id })),
          });
          await credentialsChanged(tx, [row.username], "roles_changed");
        }
        const updated = await findUserRow(tx, row.username);
        return toUserRecord(updated!);
      });
    },

    async addService(newService: NewService): Promise<ServiceRecord> {
      const input = validate(
        z.object({
          name: nameSchema,
          password: passwordSchema.nullish(),
          urlInternal: requiredUrlSchema,
          urlExternal: optionalUrlSchema,
          urlAdmin: optionalUrlSchema,
        }),
        newService,
      );
      const subject = describeEntity("service", input.name);
      const passwordHash =
        input.password == null ? null : await hashPassword(input.password, passwordParams);
      return changing(subject, async (tx) => {
        if (await tx.service.findUnique({ where: { name: input.name } })) {
          throw new AppError("ALREADY_EXISTS", `${subject} already exists`);
        }
        const row = await tx.service.create({
          data: {
            name: input.name,
            passwordHash,
            endpointUrlInternal: input.urlInternal,
            endpointUrlExternal: input.urlExternal,
            endpointUrlAdmin: input.urlAdmin,
          },
        });
        return toServiceRecord(row);
      });
    },
    async listServices(): Promise<ServiceRecord[]> {
      const rows = await reading(() => db.prisma.service.findMany({ orderBy: { id: "asc" } }));
      return rows.map(toServiceRecord);
    },
    async getService(rawName: string): Promise<ServiceRecord | null> {
      const { name } = validate(nameInput, { name: rawName });
      const row = await reading(() => db.prisma.service.findUnique({ where: { name } }));
      return row ? toServiceRecord(row) : null;
    },
    async deleteService(rawName: string): Promise<ServiceRecord> {
      const { name } = validate(nameInput, { name: rawName });
      const subject = describeEntity("service", name);
      return changing(subject, async (tx) => {
        const row = await tx.service.findUnique({ where: { name } });
        if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
        await tx.service.delete({ where: { id: row.id } });
        return toServiceRecord(row);
      });
    },
    /** Every registered service keyed by name: the `service_catalog` of a token response. */
    async serviceCatalog(): Promise<ServiceCatalog> {
      const rows = await reading(() => db.prisma.service.findMany({ orderBy: { id: "asc" } }));
      return toServiceCatalog(rows.map(toServiceRecord));
    },

    /**
     * Checks a username/password pair. Unknown users cost one dummy hash check, so they cannot
     * be told from wrong passwords by timing. A legacy (Werkzeug) or weaker hash is replaced by
     * an argon2id hash with the configured parameters on success.
     */
    async authenticate(username: unknown, password: unknown): Promise<AuthenticationResult> {
      if (typeof username !== "string" || typeof password !== "string") {
        return { ok: false, reason: "missing" };
      }
      const row =
        username.length > 0 && username.length <= 256
          ? await reading(() => findUserRow(db.prisma, username))
          : null;
      if (!row) {
        await dummyVerify(password, passwordParams);
        return { ok: false, reason: "unknown_user" };
      }
      const check = await verifyPassword(password, row.passwordHash, passwordParams);
      if (!check.ok) return { ok: false, reason: "wrong_password" };
      let rehashed = false;
      if (check.needsRehash) {
        try {
          const upgraded = await hashPassword(password, passwordParams);
          // Only if nobody changed the hash meanwhile (e.g. a concurrent password change).
          const result = await db.prisma.user.updateMany({
            where: { id: row.id, passwordHash: row.passwordHash },
            data: { passwordHash: upgraded },
          });
          rehashed = result.count === 1;
        } catch {
          // The login itself succeeded; the upgrade is retried at the next login.
        }
      }
      return {
        ok: true,
        user: toUserRecord(row),
        rehashed,
        tokensValidAfterMs: row.tokensValidAfter?.getTime() ?? 0,
      };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
