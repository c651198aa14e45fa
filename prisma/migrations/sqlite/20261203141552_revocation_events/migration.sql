-- CreateTable
CREATE TABLE "revocation_event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "username" TEXT,
    "sid" TEXT,
    "valid_after" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "revocation_event_created_at_idx" ON "revocation_event"("created_at");
