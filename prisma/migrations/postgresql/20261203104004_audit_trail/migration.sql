-- CreateTable
CREATE TABLE "audit_event" (
    "id" SERIAL NOT NULL,
    "time" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event_type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "actor" TEXT,
    "target" TEXT,
    "source_address" TEXT,
    "details" TEXT,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_event_time_idx" ON "audit_event"("time");

-- CreateIndex
CREATE INDEX "audit_event_target_time_idx" ON "audit_event"("target", "time");

-- CreateIndex
CREATE INDEX "audit_event_actor_time_idx" ON "audit_event"("actor", "time");

-- Append-only: rows are inserted, and deleted only by the retention ([audit] retention_days).
-- The database ignores any UPDATE, whoever sends it. (A rule, not a trigger function: the
-- migration runner splits scripts at every semicolon, which a function body cannot survive.)
CREATE RULE "audit_event_append_only" AS ON UPDATE TO "audit_event" DO INSTEAD NOTHING;
