import type { AdminopsContext } from "../context.js";

/** The lockouts service on the command's database and settings (loaded on first use). */
export async function lockoutsService(ctx: AdminopsContext) {
  const { createLockoutsService } = await import("../../../guessing/index.js");
  return createLockoutsService(await ctx.database(), ctx.settings().login.guessing);
}
