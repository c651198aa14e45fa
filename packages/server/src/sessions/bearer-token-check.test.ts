import { expect, it } from "vitest";
import { describeEachProvider } from "../../test/helpers/test-databases.js";
import { BearerTokenCheck } from "./bearer-token-check.js";

// The bearer-token revocation check against a real user row: the `tva` claim must match the
// user's current tokens_valid_after; tokens without it fall back to whole-second `iat`.

describeEachProvider("BearerTokenCheck", (ctx) => {
  async function newUser(username: string) {
    const org = await ctx.db.prisma.organization.create({ data: { name: `o-${username}` } });
    const ou = await ctx.db.prisma.orgUnit.create({ data: { name: `u-${username}` } });
    const dept = await ctx.db.prisma.department.create({ data: { name: `d-${username}` } });
    const wfc = await ctx.db.prisma.workFunctionContext.create({
      data: { name: `w-${username}`, orgId: org.id, orgUnitId: ou.id, departmentId: dept.id },
    });
    return ctx.db.prisma.user.create({ data: { username, passwordHash: "x", wfcId: wfc.id } });
  }
  const setCutoff = (id: number, at: Date | null) =>
    ctx.db.prisma.user.update({ where: { id }, data: { tokensValidAfter: at } });

  it("with tva: valid only while it equals the user's current cutoff", async () => {
    const user = await newUser("bt1");
    const check = new BearerTokenCheck(ctx.db, { cacheTtlMs: 0 });
    const claims = (tva: number) => ({ sub: { id: user.id, username: "bt1" }, iat: 1, tva });
    expect(await check.isActive(claims(0))).toBe(true);
    const cutoff = new Date(Date.UTC(2030, 0, 1, 12, 0, 0, 456));
    await setCutoff(user.id, cutoff);
    // A token issued in the same second as the change, but under the old cutoff: refused.
    expect(await check.isActive(claims(0))).toBe(false);
    expect(await check.isActive(claims(cutoff.getTime()))).toBe(true);
    expect(await check.isActive(claims(cutoff.getTime() + 1))).toBe(false);
  });

  it("without tva (older tokens): only an iat strictly after the cutoff's second", async () => {
    const user = await newUser("bt2");
    const check = new BearerTokenCheck(ctx.db, { cacheTtlMs: 0 });
    const claims = (iat: number) => ({ sub: { id: user.id, username: "bt2" }, iat });
    expect(await check.isActive(claims(100))).toBe(true);
    await setCutoff(user.id, new Date(100_500));
    expect(await check.isActive(claims(100))).toBe(false);
    expect(await check.isActive(claims(101))).toBe(true);
  });

  it("caches a user's state for cacheTtlMs; forget drops it at once", async () => {
    let now = 1_000_000;
    const user = await newUser("bt3");
    const check = new BearerTokenCheck(ctx.db, { cacheTtlMs: 2000, now: () => now });
    const claims = { sub: { id: user.id, username: "bt3" }, iat: 1, tva: 0 };
    expect(await check.isActive(claims)).toBe(true);
    await setCutoff(user.id, new Date());
    expect(await check.isActive(claims)).toBe(true); // cached
    now += 2001;
    expect(await check.isActive(claims)).toBe(false);
    await setCutoff(user.id, null);
    expect(await check.isActive(claims)).toBe(false); // cached again
    check.forget("bt3");
    expect(await check.isActive(claims)).toBe(true);
  });

  it("refuses tokens whose user is gone, renamed, or not a database user", async () => {
    const user = await newUser("bt4");
    const check = new BearerTokenCheck(ctx.db, { cacheTtlMs: 0 });
    expect(await check.isActive({ sub: { id: user.id, username: "other" }, iat: 1 })).toBe(false);
    expect(await check.isActive({ sub: { id: 0, username: "bt4" }, iat: 1 })).toBe(false);
    expect(await check.isActive({ sub: "bt4", iat: 1 })).toBe(false);
    await ctx.db.prisma.user.delete({ where: { id: user.id } });
    expect(await check.isActive({ sub: { id: user.id, username: "bt4" }, iat: 1 })).toBe(false);
  });
});
