-- CreateTable
CREATE TABLE "audit_event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "time" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event_type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "actor" TEXT,
    "target" TEXT,
    "source_address" TEXT,
    "details" TEXT
);

-- CreateIndex
CREATE INDEX "audit_event_time_idx" ON "audit_event"("time");

-- CreateIndex
CREATE INDEX "audit_event_target_time_idx" ON "audit_event"("target", "time");

-- CreateIndex
CREATE INDEX "audit_event_actor_time_idx" ON "audit_event"("actor", "time");

-- Append-only: rows are inserted, and deleted only by the retention ([audit] retention_days).
-- The database refuses any UPDATE, whoever sends it.
CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE ON "audit_event"
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only: rows cannot be changed');
END;
