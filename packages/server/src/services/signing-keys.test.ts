import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../../test/helpers/test-databases.js";
import { listAuditEvents } from "../audit/audit-query.js";
import { loadSettings, type Settings } from "../config/index.js";
import { AppError } from "../errors.js";
import {
  createKeyRing,
  createKeySetRefresher,
  KeyError,
  type KeyRing,
  loadDatabaseKeySet,
} from "../keys/index.js";
import { createTokenSigner, createTokenVerifier } from "../tokens/index.js";
import { createSigningKeyService } from "./signing-keys.js";

// Key rotation (issue 13): the service behind `adminops keys` and the admin API, and what the
// server's KeyRing makes of its changes — which key signs, which the JWKS lists and which tokens
// verify, at each moment of a rotation. The clock is fixed, so the moments are exact.

const ISSUER = "https://auth.example.test";
const T0 = Date.parse("2026-12-01T10:00:00Z");
const LIFETIME = 600;
const LEAD = 120;
const REFRESH = 10;
const LEEWAY = 5;

const kekOf = (key: Buffer) => ({ key, source: "TEST_KEK", setting: "TEST_KEK" });

async function testSettings(dir: string, login: boolean): Promise<Settings> {
  const file = join(dir, login ? "login.ini" : "bearer.ini");
  await writeFile(
    file,
    [
      "[server]",
      `\tdata_dir = ${dir}`,
      `\tpublic_url = ${ISSUER}`,
      "[token]",
      "\talgorithm = ES256",
      `\tlifetime_seconds = ${LIFETIME}`,
      `\tkey_rotation_lead_seconds = ${LEAD}`,
      `\tkey_set_refresh_seconds = ${REFRESH}`,
      `\tclock_leeway_seconds = ${LEEWAY}`,
      "[login]",
      `\tenabled = ${login}`,
      "\trefresh_ttl = 7200",
      "",
    ].join("\n"),
  );
  return loadSettings({ configPath: file, env: {}, cwd: dir });
}

describeEachProvider("signing key rotation", (ctx) => {
  let dir: string;
  let settings: Settings;
  let loginSettings: Settings;
  const kek = kekOf(randomBytes(32));
  let clock = T0;
  const now = () => clock;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-rotation-"));
    settings = await testSettings(dir, false);
    loginSettings = await testSettings(dir, true);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A database with the deployment's first key, an instance's ring and the service. */
  async function deployment(options: { login?: boolean } = {}) {
    clock = T0;
    const { db } = await ctx.createDatabase();
    const chosen = options.login ? loginSettings : settings;
    const loaded = await loadDatabaseKeySet(
      db,
      { ...chosen.token, dataDir: dir },
      kek,
      new Date(clock),
    );
    const ring = createKeyRing(loaded.keys, now);
    const refresher = createKeySetRefresher({
      db,
      kek,
      ring,
      intervalMs: 3_600_000,
      log: { info() {}, warn() {} },
    });
    const service = createSigningKeyService(db, chosen, {
      kek,
      actor: "adminops:test",
      now,
      afterChange: () => refresher.refresh(),
    });
    return { db, ring, service, first: loaded.keySet.signingKey.kid };
  }

  const kidsOf = (ring: KeyRing) =>
    ring
      .current()
      .jwks()
      .keys.map((key) => key.kid);
  const signer = (ring: KeyRing) =>
    createTokenSigner({ signingKey: () => ring.current().signingKey, issuer: ISSUER, now });
  const verifier = (ring: KeyRing) => createTokenVerifier(ring, { issuer: ISSUER, now });
  const sign = async (ring: KeyRing) =>
    (await signer(ring).sign({ sub: { username: "u1" } }, { lifetime: { seconds: LIFETIME } }))
      .token;
  const refusal = async (work: Promise<unknown>) => {
    const error = await work.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it("rotate publishes the new key at once and signs with it from the end of the lead time", async () => {
    const { ring, service, first } = await deployment();
    const rotated = await service.rotate();
    expect(rotated).toMatchObject({
      algorithm: "ES256",
      state: "pending",
      origin: "rotated",
      activatesAt: new Date(T0 + LEAD * 1000).toISOString(),
      publishedUntil: null,
    });
    // The service told the ring (afterChange): published now, not signing yet.
    expect(kidsOf(ring)).toEqual([first, rotated.kid]);
    expect(decodeProtectedHeader(await sign(ring)).kid).toBe(first);
    expect((await service.list()).map((key) => [key.kid, key.state])).toEqual([
      [first, "active-signing"],
      [rotated.kid, "pending"],
    ]);

    clock = T0 + LEAD * 1000;
    expect(decodeProtectedHeader(await sign(ring)).kid).toBe(rotated.kid);
    expect((await service.list()).map((key) => key.state)).toEqual(["published", "active-signing"]);
    // The previous key still verifies what it signed; both keys stay in the JWKS.
    expect(kidsOf(ring)).toEqual([rotated.kid, first]);
  });

  it("rotate takes another algorithm, a lead time of 0, and refuses bad values naming them", async () => {
    const { ring, service } = await deployment();
    const ed = await service.rotate({ algorithm: "eddsa", leadSeconds: 0 });
    expect(ed).toMatchObject({ algorithm: "EdDSA", state: "active-signing" });
    expect(decodeProtectedHeader(await sign(ring))).toMatchObject({ alg: "EdDSA", kid: ed.kid });
    expect(ring.current().algorithms).toEqual(["EdDSA", "ES256"]);

    const badAlgorithm = await refusal(service.rotate({ algorithm: "HS256" }));
    expect(badAlgorithm).toMatchObject({ code: "VALIDATION_FAILED", field: "algorithm" });
    expect(badAlgorithm.message).toContain("RS512, PS512, ES256, EdDSA");
    for (const leadSeconds of [-1, 1.5, 604_801]) {
      const badLead = await refusal(service.rotate({ leadSeconds }));
      expect(badLead).toMatchObject({ code: "VALIDATION_FAILED", field: "leadSeconds" });
    }
    expect(await service.list()).toHaveLength(2);
  });

  it("rotate with another key-encryption key is refused and stores nothing", async () => {
    const { db, service } = await deployment();
    const stranger = createSigningKeyService(db, settings, {
      kek: kekOf(randomBytes(32)),
      now,
    });
    const error = await stranger.rotate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).code).toBe("KEY_ENCRYPTION_KEY_WRONG");
    expect((error as KeyError).message).toContain("set TEST_KEK");
    expect(await service.list()).toHaveLength(1);
    // Without any key-encryption key (a server on key files) rotation is not available.
    const withoutKek = createSigningKeyService(db, settings, { kek: null, now });
    expect(await refusal(withoutKek.rotate())).toMatchObject({ code: "NOT_READY" });
  });

  it("retire refuses the only signing key, also while the next one is pending, and unknown kids", async () => {
    const { service, first } = await deployment();
    const only = await refusal(service.retire(first));
    expect(only).toMatchObject({ code: "KEY_STILL_NEEDED", httpStatus: 409, field: "kid" });
    expect(only.message).toContain("rotate first");

    const pending = await service.rotate();
    const early = await refusal(service.retire(first));
    expect(early.code).toBe("KEY_STILL_NEEDED");
    expect(early.message).toContain(
      `the next key (${pending.kid}) signs from ${pending.activatesAt}`,
    );

    const unknown = await refusal(service.retire("no-such-kid"));
    expect(unknown).toMatchObject({ code: "NOT_FOUND", httpStatus: 404, field: "kid" });
    expect(unknown.message).toContain('"no-such-kid"');
    expect((await service.list()).every((key) => key.publishedUntil === null)).toBe(true);
  });

  it("a retired key verifies its tokens until they have all expired, then leaves the JWKS", async () => {
    const { ring, service, first } = await deployment();
    const oldToken = await sign(ring);
    const next = await service.rotate({ leadSeconds: 0 });
    clock += 1000;
    const retired = await service.retire(first);
    // Bearer tokens live LIFETIME s; other instances may sign with the key for one more refresh
    // interval, and a clock ahead by the leeway makes tokens that expire that much later.
    const until = clock + (LIFETIME + REFRESH + LEEWAY) * 1000;
    expect(retired).toMatchObject({
      kid: first,
      state: "retired-until",
      publishedUntil: new Date(until).toISOString(),
    });
    expect(decodeProtectedHeader(await sign(ring)).kid).toBe(next.kid);

    clock = until - 1000;
    expect(kidsOf(ring)).toEqual([next.kid, first]);
    expect((await verifier(ring).verifySigned(oldToken, { allowExpired: true })).status).toBe(
      "Verification Successful",
    );

    clock = until;
    expect(kidsOf(ring)).toEqual([next.kid]);
    expect((await service.list()).map((key) => key.state)).toEqual(["gone", "active-signing"]);
    // Signed by a key no longer published: refused as invalid, whatever its expiry says.
    const refused = await verifier(ring).verifySigned(oldToken, { allowExpired: true });
    expect(refused).toMatchObject({ status: "Invalid token", reason: "unknown_kid" });
  });

  it("with the cookie login on, a retired key stays published for the refresh tokens' lifetime", async () => {
    const { service, first } = await deployment({ login: true });
    await service.rotate({ leadSeconds: 0 });
    const retired = await service.retire(first);
    expect(retired.publishedUntil).toBe(
      new Date(T0 + (7200 + REFRESH + LEEWAY) * 1000).toISOString(),
    );
  });

  it("retire --published-for 0 removes a leaked key at once; retiring again never lengthens", async () => {
    const { ring, service, first } = await deployment();
    const leakedToken = await sign(ring);
    await service.rotate({ leadSeconds: 0 });
    expect((await verifier(ring).verifySigned(leakedToken)).status).toBe("Verification Successful");
    const retired = await service.retire(first, { publishedForSeconds: 0 });
    expect(retired).toMatchObject({ state: "gone", publishedUntil: new Date(T0).toISOString() });
    expect(kidsOf(ring)).not.toContain(first);
    expect(await verifier(ring).verifySigned(leakedToken)).toMatchObject({
      status: "Invalid token",
      reason: "unknown_kid",
    });

    const again = await service.retire(first);
    expect(again.publishedUntil).toBe(new Date(T0).toISOString());
    expect(kidsOf(ring)).not.toContain(first);
  });

  it("records each rotation and retirement in the audit trail with its actor", async () => {
    const { db, service, first } = await deployment();
    const next = await service.rotate({ leadSeconds: 0 });
    await service.retire(first);
    const events = (await listAuditEvents(db, { limit: 10 })).filter((event) =>
      event.type.startsWith("key."),
    );
    expect(events.map((event) => [event.type, event.actor, event.target])).toEqual([
      ["key.rotated", "adminops:test", `key:${next.kid}`],
      ["key.retired", "adminops:test", `key:${first}`],
    ]);
  });

  it("another instance's ring picks a rotation up without a restart (PostgreSQL: by notice)", async () => {
    const { db, service, first } = await deployment();
    const loaded = await loadDatabaseKeySet(db, { ...settings.token, dataDir: dir }, kek);
    const other = createKeyRing(loaded.keys);
    const refresher = createKeySetRefresher({
      db,
      kek,
      ring: other,
      // PostgreSQL must not need the timer: an hour. SQLite has only the timer.
      intervalMs: ctx.provider === "postgresql" ? 3_600_000 : 100,
      log: { info() {}, warn() {} },
    });
    await refresher.start();
    try {
      const rotated = await service.rotate();
      const deadline = Date.now() + 10_000;
      while (!kidsOf(other).includes(rotated.kid) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect([...kidsOf(other)].sort()).toEqual([first, rotated.kid].sort());
    } finally {
      await refresher.close();
    }
  });
});
