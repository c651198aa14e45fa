import { SIGNING_ALGORITHMS } from "@tokenleader/client";
import { parseDurationMs } from "../../../durations.js";
import { type AdminopsCommand, UsageError } from "../command-module.js";
import { keysTable } from "./keys-list.js";
import { signingKeyService } from "./keys-service.js";

/** `keys rotate`: a new signing key, published now, signing after the lead time. */
export const keysRotateCommand: AdminopsCommand = {
  command: "rotate",
  describe: "add a new signing key: published in the JWKS at once, signing after the lead time",
  builder: (yargs) =>
    yargs
      .option("algorithm", {
        type: "string",
        describe: `algorithm of the new key (${SIGNING_ALGORITHMS.join(", ")}); default: the current key's`,
      })
      .option("lead-time", {
        type: "string",
        describe:
          "how long the key is only published before it signs: seconds or 90s, 10m, 1h (default [token] key_rotation_lead_seconds)",
      })
      .option("now", {
        type: "boolean",
        describe:
          "sign with the new key at once (no lead time): verifiers that cached the JWKS refuse its tokens until they refetch",
      })
      .conflicts("now", "lead-time")
      .example("$0 keys rotate", "the new key signs after the configured lead time")
      .example("$0 keys rotate --algorithm ES256", "switch to ES256 keys")
      .epilogue(
        "Needs the deployment's key-encryption key (TOKENLEADER_KEY_ENCRYPTION_KEY or [token] key_encryption_key_file). The previous key keeps verifying its tokens: retire it with `adminops keys retire KID` once the new key signs.",
      ),
  async run(argv, ctx) {
    const leadSeconds = argv.now ? 0 : leadTimeSeconds(argv["lead-time"]);
    const algorithm = typeof argv.algorithm === "string" ? argv.algorithm : undefined;
    const key = await (await signingKeyService(ctx, { kek: true })).rotate({
      ...(algorithm !== undefined ? { algorithm } : {}),
      ...(leadSeconds !== undefined ? { leadSeconds } : {}),
    });
    const configured = ctx.settings().token.algorithm;
    ctx.print(
      () =>
        `new signing key ${key.kid} (${key.algorithm}): published now, signs from ${key.activatesAt}.\n` +
        keysTable([key]) +
        (key.algorithm !== configured
          ? `note: [token] algorithm = ${configured}; set it to ${key.algorithm} on every instance so new keys keep that algorithm.\n`
          : ""),
      key,
    );
    return 0;
  },
};

function leadTimeSeconds(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(String(value), { bareSeconds: true });
  if (ms === null) {
    throw new UsageError(
      `--lead-time ${String(value)}: give seconds (360) or a duration such as 90s, 10m or 1h`,
    );
  }
  return ms / 1000;
}
