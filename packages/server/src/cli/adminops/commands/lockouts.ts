import type { Lockout } from "../../../guessing/index.js";
import type { AdminopsCommand } from "../command-module.js";
import { lockoutsService } from "./lockouts-service.js";

/** `lockouts`: what the guessing policy limits right now (accounts, addresses), for how long. */
export const lockoutsCommand: AdminopsCommand = {
  command: "lockouts",
  describe: "list accounts and client addresses with failed password checks, and which are locked",
  builder: (yargs) =>
    yargs
      .example("$0 lockouts", "who is locked out, and until when")
      .epilogue(
        "Counts come from the database, so they cover every server process on it. Lift a lock with `adminops unlock -n USER` or `adminops unlock --source ADDRESS`.",
      ),
  async run(_argv, ctx) {
    const lockouts = await (await lockoutsService(ctx)).list();
    ctx.print(() => formatLockouts(lockouts), lockouts);
    return 0;
  },
};

function formatLockouts(lockouts: readonly Lockout[]): string {
  if (lockouts.length === 0)
    return "no failed password checks in the current window; nothing is locked\n";
  const rows = lockouts.map((l) => [
    l.kind,
    l.account ?? "-",
    l.source ?? "-",
    String(l.failures),
    l.lockedUntil ?? "not locked",
    l.windowEnds,
  ]);
  const header = ["kind", "account", "source", "failures", "locked until", "window ends"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()}\n`;
  return line(header) + rows.map(line).join("");
}
