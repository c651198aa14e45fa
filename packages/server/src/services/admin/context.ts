import type { Settings } from "../../config/settings-types.js";
import type { Database } from "../../db/open-database.js";
import type { AdminWrites } from "./writes.js";

/** The [passwords] values the admin rules use (the hash slots and threads are the process's, not theirs). */
export type AdminPasswordParams = Omit<
  Settings["passwords"],
  "maxConcurrentHashes" | "maxQueuedHashes" | "hashThreadNice"
>;

/** What each entity's rules work with: the database, the hashing settings, the write runner. */
export interface AdminContext {
  db: Database;
  passwordParams: AdminPasswordParams;
  writes: AdminWrites;
}
