import type { Settings } from "../../config/settings-types.js";
import type { Database } from "../../db/open-database.js";
import type { AdminWrites } from "./writes.js";

/** What each entity's rules work with: the database, the hashing settings, the write runner. */
export interface AdminContext {
  db: Database;
  passwordParams: Settings["passwords"];
  writes: AdminWrites;
}
