-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_user" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "email" TEXT,
    "password_hash" TEXT NOT NULL,
    "wfc_id" INTEGER,
    "tokens_valid_after" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_wfc_id_fkey" FOREIGN KEY ("wfc_id") REFERENCES "workfunctioncontext" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_user" ("created_at", "email", "id", "password_hash", "tokens_valid_after", "updated_at", "username", "wfc_id") SELECT "created_at", "email", "id", "password_hash", "tokens_valid_after", "updated_at", "username", "wfc_id" FROM "user";
DROP TABLE "user";
ALTER TABLE "new_user" RENAME TO "user";
CREATE UNIQUE INDEX "user_username_key" ON "user"("username");
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");
CREATE INDEX "user_wfc_id_idx" ON "user"("wfc_id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
