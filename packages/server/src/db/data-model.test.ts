import { beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../../test/helpers/test-databases.js";
import { Prisma } from "./prisma-client.js";

/** The Prisma error code a rejected promise carries (e.g. P2002, P2003). */
async function prismaErrorCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  return (error as Prisma.PrismaClientKnownRequestError).code;
}

describeEachProvider("data model", (ctx) => {
  let ids: { org: number; ou: number; dept: number; wfc: number; role1: number; role2: number };

  beforeAll(async () => {
    const { prisma } = ctx.db;
    const org = await prisma.organization.create({
      data: { name: "org1", orgtype: "internal", authBackend: "standard" },
    });
    const ou = await prisma.orgUnit.create({ data: { name: "ou1" } });
    const dept = await prisma.department.create({ data: { name: "dept1" } });
    const wfc = await prisma.workFunctionContext.create({
      data: { name: "wfc1", orgId: org.id, orgUnitId: ou.id, departmentId: dept.id },
    });
    const role1 = await prisma.role.create({ data: { name: "role1" } });
    const role2 = await prisma.role.create({ data: { name: "role2" } });
    ids = { org: org.id, ou: ou.id, dept: dept.id, wfc: wfc.id, role1: role1.id, role2: role2.id };
  });

  it("stores a user with its wfc and roles and reads them back", async () => {
    const { prisma } = ctx.db;
    await prisma.user.create({
      data: {
        username: "user1",
        email: "user1@example.org",
        passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        wfcId: ids.wfc,
        roles: {
          create: [
            { role: { connect: { id: ids.role1 } } },
            { role: { connect: { id: ids.role2 } } },
          ],
        },
      },
    });
    const user = await prisma.user.findUniqueOrThrow({
      where: { username: "user1" },
      include: {
        roles: { include: { role: true }, orderBy: { role: { name: "asc" } } },
        wfc: { include: { org: true, orgUnit: true, department: true } },
      },
    });
    expect(user.roles.map((r) => r.role.name)).toEqual(["role1", "role2"]);
    expect([
      user.wfc?.name,
      user.wfc?.org.name,
      user.wfc?.orgUnit.name,
      user.wfc?.department.name,
    ]).toEqual(["wfc1", "org1", "ou1", "dept1"]);
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(user.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("lets many wfcs share one org, org unit and department", async () => {
    const { prisma } = ctx.db;
    await prisma.workFunctionContext.create({
      data: { name: "wfc2", orgId: ids.org, orgUnitId: ids.ou, departmentId: ids.dept },
    });
    const org = await prisma.organization.findUniqueOrThrow({
      where: { id: ids.org },
      include: { wfcs: { orderBy: { name: "asc" } } },
    });
    expect(org.wfcs.map((w) => w.name)).toEqual(["wfc1", "wfc2"]);
  });

  it("refuses duplicate names (P2002)", async () => {
    const { prisma } = ctx.db;
    expect(await prismaErrorCode(prisma.organization.create({ data: { name: "org1" } }))).toBe(
      "P2002",
    );
    expect(await prismaErrorCode(prisma.role.create({ data: { name: "role1" } }))).toBe("P2002");
    expect(
      await prismaErrorCode(
        prisma.service
          .create({ data: { name: "svc" } })
          .then(() => prisma.service.create({ data: { name: "svc" } })),
      ),
    ).toBe("P2002");
  });

  it("allows several users without e-mail and services sharing endpoint URLs", async () => {
    const { prisma } = ctx.db;
    for (const username of ["noemail1", "noemail2"]) {
      await prisma.user.create({ data: { username, passwordHash: "x", wfcId: ids.wfc } });
    }
    const urls = { endpointUrlInternal: "http://gw/", endpointUrlExternal: "http://gw/ext" };
    await prisma.service.create({ data: { name: "svc-a", ...urls } });
    await prisma.service.create({ data: { name: "svc-b", ...urls } });
    expect(await prisma.service.count({ where: urls })).toBe(2);
  });

  it("refuses to delete an org, org unit or department a wfc uses, and a wfc that has users", async () => {
    const { prisma } = ctx.db;
    expect(await prismaErrorCode(prisma.organization.delete({ where: { id: ids.org } }))).toBe(
      "P2003",
    );
    expect(await prismaErrorCode(prisma.orgUnit.delete({ where: { id: ids.ou } }))).toBe("P2003");
    expect(await prismaErrorCode(prisma.department.delete({ where: { id: ids.dept } }))).toBe(
      "P2003",
    );
    expect(
      await prismaErrorCode(prisma.workFunctionContext.delete({ where: { id: ids.wfc } })),
    ).toBe("P2003");
    expect(await prisma.organization.count({ where: { id: ids.org } })).toBe(1);
    expect(await prisma.workFunctionContext.count({ where: { id: ids.wfc } })).toBe(1);
  });

  it("stores a user without wfc (imported WESkit users have none)", async () => {
    const { prisma } = ctx.db;
    await prisma.user.create({ data: { username: "no-wfc", passwordHash: "x" } });
    const user = await prisma.user.findUniqueOrThrow({
      where: { username: "no-wfc" },
      include: { wfc: true },
    });
    expect(user.wfcId).toBeNull();
    expect(user.wfc).toBeNull();
  });

  it("refuses a user whose wfc does not exist (P2003)", async () => {
    const { prisma } = ctx.db;
    expect(
      await prismaErrorCode(
        prisma.user.create({ data: { username: "orphan", passwordHash: "x", wfcId: 999_999 } }),
      ),
    ).toBe("P2003");
  });

  it("removes a user's role links when the user or the role is deleted", async () => {
    const { prisma } = ctx.db;
    const role = await prisma.role.create({ data: { name: "temporary" } });
    const a = await prisma.user.create({
      data: {
        username: "a",
        passwordHash: "x",
        wfcId: ids.wfc,
        roles: { create: [{ roleId: role.id }] },
      },
    });
    const b = await prisma.user.create({
      data: {
        username: "b",
        passwordHash: "x",
        wfcId: ids.wfc,
        roles: { create: [{ roleId: role.id }, { roleId: ids.role1 }] },
      },
    });
    await prisma.user.delete({ where: { id: a.id } });
    expect(await prisma.userRole.count({ where: { userId: a.id } })).toBe(0);
    await prisma.role.delete({ where: { id: role.id } });
    expect(
      await prisma.userRole.findMany({ where: { userId: b.id }, select: { roleId: true } }),
    ).toEqual([{ roleId: ids.role1 }]);
  });
});
