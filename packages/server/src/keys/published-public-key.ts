import { join } from "node:path";
import { formatOpenSshPublicKey } from "@tokenleader/client";
import type { SigningKey } from "./key-set.js";
import { keysDirectory } from "./load-key-set.js";
import { writePublicFileAtomic } from "./secret-file.js";

// The signing key's public half as one OpenSSH line in the data directory, for clients that
// verify offline with `tl_public_key` (as with the original). Rewritten at every start: the key
// itself lives in the database.

export function publishedPublicKeyFile(dataDir: string): string {
  return join(keysDirectory(dataDir), "signing-key.pub");
}

export async function publishSigningPublicKey(dataDir: string, key: SigningKey): Promise<string> {
  const file = publishedPublicKeyFile(dataDir);
  await writePublicFileAtomic(file, `${formatOpenSshPublicKey(key.publicKey, key.kid)}\n`);
  return file;
}
