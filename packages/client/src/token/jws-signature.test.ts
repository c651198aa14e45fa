import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeJwsHeader, JwsError, verifyCompactJws } from "./jws-signature.js";

// The rules jose's jwtVerify applied before verification moved to node:crypto; each must still
// refuse what jose refused. Tokens are built by hand so every header and byte can be chosen.

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function rs512Token(
  header: Record<string, unknown>,
  payload: unknown,
  privateKey: KeyObject = rsa.privateKey,
): string {
  const input = `${b64(header)}.${typeof payload === "string" ? Buffer.from(payload).toString("base64url") : b64(payload)}`;
  return `${input}.${sign("sha512", Buffer.from(input), privateKey).toString("base64url")}`;
}

function failure(
  token: string,
  header: Record<string, unknown>,
  key: KeyObject = rsa.publicKey,
): JwsError {
  try {
    verifyCompactJws(token, header, key, "RS512");
  } catch (err) {
    if (err instanceof JwsError) return err;
    throw err;
  }
  throw new Error("the token was accepted");
}

describe("verifyCompactJws", () => {
  const header = { alg: "RS512" };

  it("returns the claims of a well-signed token", () => {
    const token = rs512Token(header, { sub: "x", exp: 2_000_000_000 });
    expect(verifyCompactJws(token, header, rsa.publicKey, "RS512")).toEqual({
      sub: "x",
      exp: 2_000_000_000,
    });
  });

  it("refuses a critical extension and an unencoded payload", () => {
    const crit = { alg: "RS512", crit: ["exp"], exp: 1 };
    expect(failure(rs512Token(crit, { sub: "x" }), crit).kind).toBe("malformed");
    const unencoded = { alg: "RS512", b64: false, crit: ["b64"] };
    expect(failure(rs512Token(unencoded, { sub: "x" }), unencoded).kind).toBe("malformed");
    const b64Only = { alg: "RS512", b64: false };
    expect(failure(rs512Token(b64Only, { sub: "x" }), b64Only).kind).toBe("malformed");
  });

  it("refuses a signature that is not strict base64url and a changed payload", () => {
    const token = rs512Token(header, { sub: "x" });
    const [h, p, s] = token.split(".");
    expect(failure(`${h}.${p}.${s!.slice(0, -2)}+/`, header).kind).toBe("malformed");
    expect(failure(`${h}.${b64({ sub: "y" })}.${s}`, header).kind).toBe("bad_signature");
  });

  it("refuses an RSA key below 2048 bits, a key of another type and a private key", () => {
    const short = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const token = rs512Token(header, { sub: "x" }, short.privateKey);
    expect(failure(token, header, short.publicKey).message).toMatch(/2048 bits/);
    const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    expect(failure(rs512Token(header, { sub: "x" }), header, ec.publicKey).kind).toBe(
      "bad_signature",
    );
    expect(failure(rs512Token(header, { sub: "x" }), header, rsa.privateKey).kind).toBe(
      "bad_signature",
    );
  });

  it("refuses ES256 under a key of another curve", () => {
    const p256 = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const es = { alg: "ES256" };
    const input = `${b64(es)}.${b64({ sub: "x" })}`;
    const signature = sign("sha256", Buffer.from(input), {
      key: p256.privateKey,
      dsaEncoding: "ieee-p1363",
    }).toString("base64url");
    const token = `${input}.${signature}`;
    expect(verifyCompactJws(token, es, p256.publicKey, "ES256")).toEqual({ sub: "x" });
    expect(() => verifyCompactJws(token, es, p384.publicKey, "ES256")).toThrow(JwsError);
  });

  it("refuses a claims set that is no JSON object, and non-numeric times", () => {
    for (const payload of ["[1,2]", "null", "not json", '"text"']) {
      expect(failure(rs512Token(header, payload), header).kind).toBe("malformed");
    }
    const invalidUtf8 = `${b64(header)}.${Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url")}`;
    const signed = `${invalidUtf8}.${sign("sha512", Buffer.from(invalidUtf8), rsa.privateKey).toString("base64url")}`;
    expect(failure(signed, header).kind).toBe("malformed");
    for (const claim of ["exp", "iat", "nbf"]) {
      const err = failure(rs512Token(header, { sub: "x", [claim]: "2000000000" }), header);
      expect(err.kind).toBe("claims_invalid");
      expect(err.message).toContain(claim);
    }
  });
});

describe("decodeJwsHeader", () => {
  it("gives each token its own header, however tokens with different headers alternate", () => {
    const headers = [{ alg: "RS512" }, { alg: "RS512", kid: "k1" }, { alg: "ES256" }];
    for (const round of [0, 1]) {
      for (const header of headers) {
        const decoded = decodeJwsHeader(`${b64(header)}.e30.c2ln`);
        expect(decoded, `round ${round}`).toEqual(header);
        expect(Object.isFrozen(decoded)).toBe(true);
      }
    }
  });

  it("does not take a header segment for another that starts the same way", () => {
    const segment = b64({ alg: "RS512" });
    expect(decodeJwsHeader(`${segment}.e30.c2ln`)).toEqual({ alg: "RS512" });
    // The same characters and one more: not the header seen before, and not base64url at all.
    expect(() => decodeJwsHeader(`${segment}*.e30.c2ln`)).toThrow(JwsError);
    expect(() => decodeJwsHeader(".e30.c2ln")).toThrow(JwsError);
  });
});
