import type { Database } from "../db/index.js";
import { isUniqueViolation } from "../errors.js";

// Facts every server process of a deployment must agree on, kept in `deployment_setting`.
// Created once, atomically: the first process to insert a name wins and every process (that one
// included) uses the value read back, so processes starting together end with one value.

export type DeploymentSettingName = "issuer" | "login_csrf_secret";

export async function readDeploymentSetting(
  db: Database,
  name: DeploymentSettingName,
): Promise<string | null> {
  const row = await db.prisma.deploymentSetting.findUnique({ where: { name } });
  return row?.value ?? null;
}

/** The stored value; `create()` is only called (and stored) when there is none yet. */
export async function createDeploymentSettingIfAbsent(
  db: Database,
  name: DeploymentSettingName,
  create: () => string,
): Promise<{ value: string; created: boolean }> {
  const existing = await readDeploymentSetting(db, name);
  if (existing !== null) return { value: existing, created: false };
  try {
    const row = await db.prisma.deploymentSetting.create({ data: { name, value: create() } });
    return { value: row.value, created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const winner = await readDeploymentSetting(db, name);
  if (winner === null) throw new Error(`deployment setting ${name} vanished while being created`);
  return { value: winner, created: false };
}

/** Replaces a value (an operator-approved change, such as a new issuer). */
export async function writeDeploymentSetting(
  db: Database,
  name: DeploymentSettingName,
  value: string,
): Promise<void> {
  await db.prisma.deploymentSetting.upsert({
    where: { name },
    create: { name, value },
    update: { value },
  });
}
