import { expect, it } from "vitest";
import { describeEachProvider } from "../../test/helpers/test-databases.js";
import { checkDeploymentIssuer, IssuerMismatchError } from "./index.js";

describeEachProvider("the deployment's issuer", (ctx) => {
  it("is recorded at first start; another one refuses unless the issuer is changing", async () => {
    const { db } = await ctx.createDatabase();
    const a = "https://auth.example.org";
    const b = "https://login.example.org";
    expect((await checkDeploymentIssuer(db, a, { issuerChange: false })).outcome).toBe("recorded");
    expect((await checkDeploymentIssuer(db, a, { issuerChange: false })).outcome).toBe("unchanged");

    const error = await checkDeploymentIssuer(db, b, { issuerChange: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IssuerMismatchError);
    expect((error as Error).message).toContain(`set [server] public_url`);
    expect((error as Error).message).toContain(`to ${a}`);
    expect((error as Error).message).toContain("--issuer-change");

    expect(await checkDeploymentIssuer(db, b, { issuerChange: true })).toEqual({
      outcome: "changed",
      previous: a,
    });
    expect((await checkDeploymentIssuer(db, b, { issuerChange: false })).outcome).toBe("unchanged");
    await expect(checkDeploymentIssuer(db, a, { issuerChange: false })).rejects.toThrow(
      IssuerMismatchError,
    );
  });

  it("two instances starting together on an empty database record one issuer", async () => {
    const { db } = await ctx.createDatabase();
    const results = await Promise.allSettled([
      checkDeploymentIssuer(db, "https://one.example.org", { issuerChange: false }),
      checkDeploymentIssuer(db, "https://two.example.org", { issuerChange: false }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
  });
});
