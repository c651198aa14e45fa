// Roles: named records granted to users. Deleting a role detaches it from its users, as the
// original did; their tokens change, so the credentials hook runs for each of them.
import type { NamedRecord } from "../records.js";
import type { Tx } from "../transactions.js";
import type { AdminContext } from "./context.js";
import { addNamed, createNamed, deleteNamed, getNamed, listNamed } from "./named-tables.js";

/** The roles among `names` that exist, and the names that do not. */
export async function resolveRoles(tx: Tx, names: string[]) {
  const found = await tx.role.findMany({ where: { name: { in: names } } });
  const missing = names.filter((name) => !found.some((row) => row.name === name));
  return { found, missing };
}

export function roleRules(context: AdminContext) {
  const { writes } = context;

  const detachFromUsers = async (tx: Tx, role: NamedRecord) => {
    const links = await tx.userRole.findMany({
      where: { roleId: role.id },
      include: { user: { select: { username: true } } },
    });
    await writes.credentialsChanged(
      tx,
      links.map((link) => link.user.username),
      "roles_changed",
    );
  };

  return {
    addRole: (name: string) =>
      addNamed(context, "role", name, (tx, saved) => createNamed(tx, "role", saved)),
    listRoles: () => listNamed(context, "role"),
    getRole: (name: string) => getNamed(context, "role", name),
    deleteRole: (name: string) => deleteNamed(context, "role", name, detachFromUsers),
  };
}
