import { parseDurationMs } from "../../../durations.js";
import { type AdminopsCommand, UsageError } from "../command-module.js";
import { keysTable } from "./keys-list.js";
import { signingKeyService } from "./keys-service.js";

/** `keys retire KID`: the key stops signing; published until its last token has expired. */
export const keysRetireCommand: AdminopsCommand = {
  command: "retire <kid>",
  describe: "stop signing with a key; it stays published until the last token it signed expired",
  builder: (yargs) =>
    yargs
      .positional("kid", { type: "string", describe: "the key's kid (adminops keys list)" })
      .option("published-for", {
        type: "string",
        describe:
          "keep it published this long instead (seconds or 90s, 10m, 1h); its longer-lived tokens are then refused. 0: remove it at once (a leaked key)",
      })
      .example("$0 keys retire 3q2-…", "after the new key has started signing")
      .example(
        "$0 keys retire 3q2-… --published-for 0",
        "a leaked key: its tokens stop working now",
      )
      .epilogue(
        "The only key signing now cannot be retired: rotate first, and retire the old key once the new one signs. Published until = now + the longest token lifetime ([token] lifetime_seconds; with the cookie login on, [login] access_ttl and refresh_ttl) + [token] key_set_refresh_seconds + clock_leeway_seconds.",
      ),
  async run(argv, ctx) {
    const publishedForSeconds = publishedFor(argv["published-for"]);
    const key = await (await signingKeyService(ctx, { kek: false })).retire(String(argv.kid), {
      ...(publishedForSeconds !== undefined ? { publishedForSeconds } : {}),
    });
    ctx.print(
      () =>
        `signing key ${key.kid} retired: no longer signs, published until ${key.publishedUntil}.\n` +
        keysTable([key]),
      key,
    );
    return 0;
  },
};

function publishedFor(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(String(value), { bareSeconds: true });
  if (ms === null) {
    throw new UsageError(
      `--published-for ${String(value)}: give seconds (0, 3600) or a duration such as 10m or 1h`,
    );
  }
  return ms / 1000;
}
