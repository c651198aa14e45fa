// Users: registration (every role and the wfc must exist; nothing partial is saved), lookup,
// deletion, password and role changes, and "log out everywhere". Every change to a user's
// credentials goes through the credentials hook, which ends their sessions and earlier tokens.
import { z } from "zod";
import type { Database } from "../../db/open-database.js";
import { AppError } from "../../errors.js";
import { hashPassword } from "../../passwords/argon2.js";
import { describeEntity } from "../entity-kinds.js";
import { toUserRecord, type UserRecord, userInclude } from "../records.js";
import { reading, type Tx } from "../transactions.js";
import {
  emailSchema,
  existingNameSchema,
  nameSchema,
  newPasswordSchema,
  roleNamesSchema,
  validate,
} from "../validation.js";
import type { AdminContext } from "./context.js";
import { nameInput } from "./named-tables.js";
import { resolveRoles } from "./roles.js";
import { unknownReferences } from "./unknown-references.js";

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

function userInputs(passwordMinLength: number) {
  const password = newPasswordSchema(passwordMinLength);
  return {
    newUser: z.object({
      username: nameSchema,
      password,
      email: emailSchema,
      roles: roleNamesSchema,
      wfc: existingNameSchema,
    }),
    userChange: z.object({
      name: existingNameSchema,
      password: password.optional(),
      roles: roleNamesSchema.optional(),
    }),
  };
}

export function findUserRow(tx: Tx | Database["prisma"], username: string) {
  return tx.user.findUnique({ where: { username }, include: userInclude });
}

export function userRules({ db, passwordParams, writes }: AdminContext) {
  const inputs = userInputs(passwordParams.minLength);
  /** The user named `rawName` in a write transaction (NOT_FOUND when absent). */
  function changingUser<T>(
    rawName: string,
    action: "deleted" | "tokens_revoked",
    work: (tx: Tx, row: NonNullable<Awaited<ReturnType<typeof findUserRow>>>) => Promise<T>,
  ): Promise<T> {
    const { name } = validate(nameInput, { name: rawName });
    const subject = describeEntity("user", name);
    return writes.changing({ kind: "user", name, action }, async (tx) => {
      const row = await findUserRow(tx, name);
      if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
      return work(tx, row);
    });
  }

  /**
   * Changes a user's password and/or roles (all roles must exist; `roles` replaces the list) in
   * one transaction. Either change ends the user's login sessions and earlier bearer tokens
   * (the credentials hook).
   */
  async function updateUser(change: UserChange): Promise<UserRecord> {
    const input = validate(inputs.userChange, {
      name: change.username,
      password: change.password,
      roles: change.roles && [...change.roles],
    });
    const subject = describeEntity("user", input.name);
    if (input.password === undefined && input.roles === undefined) {
      throw new AppError(
        "VALIDATION_FAILED",
        `nothing to change for ${subject}: give a new password, roles or both`,
        { details: [{ field: "password", problem: "give a new password, roles or both" }] },
      );
    }
    const passwordHash =
      input.password === undefined ? undefined : await hashPassword(input.password, passwordParams);
    const details = {
      changed: [
        ...(input.password !== undefined ? ["password"] : []),
        ...(input.roles !== undefined ? ["roles"] : []),
      ],
      ...(input.roles !== undefined ? { roles: input.roles } : {}),
    };
    const audited = { kind: "user", name: input.name, action: "updated", details } as const;
    return writes.changing(audited, async (tx) => {
      const row = await tx.user.findUnique({ where: { username: input.name } });
      if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
      if (passwordHash !== undefined) {
        await tx.user.update({ where: { id: row.id }, data: { passwordHash } });
        await writes.credentialsChanged(tx, [row.username], "password_changed");
      }
      if (input.roles !== undefined) {
        const { found, missing } = await resolveRoles(tx, input.roles);
        if (missing.length > 0) {
          throw unknownReferences(
            `cannot change the roles of ${subject}`,
            missing.map((role) => ({ field: "roles", kind: "role", name: role })),
          );
        }
        await tx.userRole.deleteMany({ where: { userId: row.id } });
        await tx.userRole.createMany({
          data: found.map((role) => ({ userId: row.id, roleId: role.id })),
        });
        await writes.credentialsChanged(tx, [row.username], "roles_changed");
      }
      const updated = await findUserRow(tx, row.username);
      return toUserRecord(updated!);
    });
  }

  return {
    /**
     * Registers a user with an argon2id hash. Every role and the wfc must exist; otherwise
     * nothing is saved (the original saved a partial user).
     */
    async addUser(newUser: NewUser): Promise<UserRecord> {
      const input = validate(inputs.newUser, newUser);
      const subject = describeEntity("user", input.username);
      // Hashing is slow on purpose: do it before the transaction holds any lock.
      const passwordHash = await hashPassword(input.password, passwordParams);
      const change = {
        kind: "user",
        name: input.username,
        action: "created",
        details: { roles: input.roles, wfc: input.wfc },
      } as const;
      return writes.changing(change, async (tx) => {
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
        if (missing.length > 0 || !wfc) {
          throw unknownReferences(`cannot register ${subject}`, [
            ...missing.map((role) => ({ field: "roles", kind: "role", name: role }) as const),
            ...(wfc ? [] : [{ field: "wfc", kind: "wfc", name: input.wfc } as const]),
          ]);
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

    deleteUser: (rawName: string): Promise<UserRecord> =>
      changingUser(rawName, "deleted", async (tx, row) => {
        await writes.credentialsChanged(tx, [row.username], "deleted");
        await tx.user.delete({ where: { id: row.id } });
        return toUserRecord(row);
      }),

    /**
     * Ends every login session and every token issued so far of a user, changing nothing else
     * ("log out everywhere"); the user logs in again as before.
     */
    revokeUserTokens: (rawName: string): Promise<UserRecord> =>
      changingUser(rawName, "tokens_revoked", async (tx, row) => {
        await writes.credentialsChanged(tx, [row.username], "tokens_revoked");
        return toUserRecord(row);
      }),

    updateUser,
  };
}
