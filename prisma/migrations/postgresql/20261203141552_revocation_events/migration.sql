-- CreateTable
CREATE TABLE "revocation_event" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "username" TEXT,
    "sid" TEXT,
    "valid_after" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "revocation_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "revocation_event_created_at_idx" ON "revocation_event"("created_at");
