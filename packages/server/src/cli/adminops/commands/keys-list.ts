import type { SigningKeyInfo } from "../../../services/signing-keys.js";
import { formatTable } from "../../shared/table.js";
import type { AdminopsCommand } from "../command-module.js";
import { signingKeyService } from "./keys-service.js";

/** `keys list`: every signing key of the deployment and where it stands now. */
export const keysListCommand: AdminopsCommand = {
  command: "list",
  describe: "list the signing keys: which signs, which are published, until when",
  builder: (yargs) =>
    yargs
      .example("$0 keys list", "before and after a rotation")
      .example("$0 keys list --json", "for scripts")
      .epilogue(
        [
          "States: pending (published, signs from ACTIVATES on), active-signing (signs now),",
          "published (newer key signs; still verifies its tokens), retired-until (no longer signs,",
          "published until PUBLISHED UNTIL), gone (no longer published: its tokens are refused).",
        ].join("\n"),
      ),
  async run(_argv, ctx) {
    const keys = await (await signingKeyService(ctx, { kek: false })).list();
    ctx.print(() => keysTable(keys), keys);
    return 0;
  },
};

export function keysTable(keys: readonly SigningKeyInfo[]): string {
  if (keys.length === 0) return "no signing keys yet: the first server start creates one\n";
  return formatTable(
    ["KID", "ALGORITHM", "STATE", "CREATED", "ACTIVATES", "PUBLISHED UNTIL", "ORIGIN"],
    keys.map((key) => [
      key.kid,
      key.algorithm,
      key.state,
      key.createdAt,
      key.activatesAt,
      key.publishedUntil ?? "-",
      key.origin,
    ]),
  );
}
