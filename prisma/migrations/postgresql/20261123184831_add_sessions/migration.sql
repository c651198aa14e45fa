-- CreateTable
CREATE TABLE "login_session" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "refresh_jti" TEXT NOT NULL,
    "refresh_generation" INTEGER NOT NULL DEFAULT 0,
    "revoked_at" TIMESTAMP(3),
    "revoked_reason" TEXT,

    CONSTRAINT "login_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "login_session_username_source_idx" ON "login_session"("username", "source");

-- CreateIndex
CREATE INDEX "login_session_expires_at_idx" ON "login_session"("expires_at");
