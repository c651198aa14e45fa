import type { DatabaseProvider } from "../db/index.js";
import type { Tx } from "../services/transactions.js";

// A change of the signing keys (rotation, retirement) reaches every server process sharing a
// PostgreSQL database at once: the changing transaction sends a notice on this channel, delivered
// at commit, and each process re-reads the keys (key-set-refresher.ts). The payload only says
// which key changed, for the log: the database is what every process reads. SQLite sends nothing;
// processes there re-read the keys every `[token] key_set_refresh_seconds`.

export const SIGNING_KEY_CHANNEL = "tokenleader_signing_keys";

export async function sendSigningKeyNotice(
  client: Pick<Tx, "$executeRaw">,
  provider: DatabaseProvider,
  change: { kid: string; change: "rotated" | "retired" },
): Promise<void> {
  if (provider !== "postgresql") return;
  await client.$executeRaw`SELECT pg_notify(${SIGNING_KEY_CHANNEL}, ${JSON.stringify(change)})`;
}
