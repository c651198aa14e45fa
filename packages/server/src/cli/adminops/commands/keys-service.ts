import type { SigningKeyService } from "../../../services/signing-keys.js";
import type { AdminopsContext } from "../context.js";

/**
 * The signing-key service on the command's database and settings (loaded on first use). With
 * `kek`, the deployment's key-encryption key is resolved as the server does (environment, then
 * `[token] key_encryption_key_file`, then the one a server keeps in the data directory), but a
 * missing one is an error here: a key sealed with a new KEK could not be read by any server.
 */
export async function signingKeyService(
  ctx: AdminopsContext,
  options: { kek: boolean },
): Promise<SigningKeyService> {
  const settings = ctx.settings();
  const [{ createSigningKeyService }, { KEY_ENCRYPTION_KEY_ENV, resolveKeyEncryptionKey }] =
    await Promise.all([
      import("../../../services/signing-keys.js"),
      import("../../../keys/key-encryption-key.js"),
    ]);
  const kek = options.kek
    ? await resolveKeyEncryptionKey({
        file: settings.token.keyEncryptionKeyFile,
        envValue: ctx.env[KEY_ENCRYPTION_KEY_ENV],
        dataDir: settings.server.dataDir,
        generate: false,
      })
    : null;
  return createSigningKeyService(await ctx.database(), settings, { kek, actor: ctx.auditActor });
}
