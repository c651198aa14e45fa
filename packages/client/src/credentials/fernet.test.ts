import { describe, expect, it } from "vitest";
import {
  REFERENCE_FERNET_KEY,
  REFERENCE_FERNET_TOKEN,
} from "../token/reference-vectors.test-helpers.js";
import { FernetError, fernetDecrypt, fernetEncrypt, generateFernetKey } from "./fernet.js";
import {
  itWhenPythonCryptographyInstalled,
  runPython,
} from "./python-cryptography.test-helpers.js";

// Published vectors of the Fernet spec (github.com/fernet/spec generate.json / verify.json /
// invalid.json), all with this secret.
const SPEC_SECRET = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
const SPEC_TOKEN =
  "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const SPEC_INVALID: Array<{ desc: string; token: string; now: string }> = [
  {
    desc: "incorrect mac",
    token:
      "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==",
    now: "1985-10-26T01:20:01-07:00",
  },
  {
    desc: "too short",
    token: "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==",
    now: "1985-10-26T01:20:01-07:00",
  },
  {
    desc: "invalid base64",
    token:
      "%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==",
    now: "1985-10-26T01:20:01-07:00",
  },
  {
    desc: "payload size not multiple of block size",
    token:
      "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm",
    now: "1985-10-26T01:20:01-07:00",
  },
  {
    desc: "payload padding error",
    token:
      "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==",
    now: "1985-10-26T01:20:01-07:00",
  },
  {
    desc: "far-future TS (unacceptable clock skew)",
    token:
      "gAAAAAAdwStRAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAnja1xKYyhd-Y6mSkTOyTGJmw2Xc2a6kBd-iX9b_qXQcw==",
    now: "1985-10-26T01:20:01-07:00",
  },
  {
    desc: "expired TTL",
    token:
      "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==",
    now: "1985-10-26T01:21:31-07:00",
  },
  {
    desc: "incorrect IV (causes padding error)",
    token:
      "gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==",
    now: "1985-10-26T01:20:01-07:00",
  },
  {
    desc: "trailing characters after b64 padding",
    token: `${SPEC_TOKEN}trailingdata`,
    now: "1985-10-26T01:20:01-07:00",
  },
  {
    desc: "invalid characters in b64",
    token:
      "*gAAAAAAdwJ6wAAECAwQFBgcI!CQoLDA0ODy021?cpGVWKZ_eEwC@GM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==",
    now: "1985-10-26T01:20:01-07:00",
  },
  {
    desc: "invalid non-urlsafe characters in b64",
    token:
      "gAAAAAAdwJ6wAAEC/AwQFBgcICQoLDA0ODy+021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==",
    now: "1985-10-26T01:20:01-07:00",
  },
];

describe("Fernet against the spec's published vectors", () => {
  it("generate.json: produces exactly the published token for the fixed time and IV", () => {
    const token = fernetEncrypt(SPEC_SECRET, "hello", {
      timestamp: epoch("1985-10-26T01:20:00-07:00"),
      iv: Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]),
    });
    expect(token).toBe(SPEC_TOKEN);
  });

  it("verify.json: decrypts the published token to 'hello' within its TTL", () => {
    const plain = fernetDecrypt(SPEC_SECRET, SPEC_TOKEN, {
      ttlSec: 60,
      now: epoch("1985-10-26T01:20:01-07:00"),
    });
    expect(plain.toString()).toBe("hello");
  });

  it.each(SPEC_INVALID)("invalid.json: rejects '$desc'", ({ token, now }) => {
    expect(() => fernetDecrypt(SPEC_SECRET, token, { ttlSec: 60, now: epoch(now) })).toThrow(
      FernetError,
    );
  });
});

describe("Fernet against the tokenleader client's repository vector (§5.3)", () => {
  it("decrypts the Python client's password token to user1", () => {
    expect(fernetDecrypt(REFERENCE_FERNET_KEY, REFERENCE_FERNET_TOKEN).toString()).toBe("user1");
  });

  it("rejects the same token with another key, truncated, or with a flipped HMAC byte", () => {
    expect(() => fernetDecrypt(generateFernetKey(), REFERENCE_FERNET_TOKEN)).toThrow(/HMAC/);
    expect(() => fernetDecrypt(REFERENCE_FERNET_KEY, REFERENCE_FERNET_TOKEN.slice(0, 60))).toThrow(
      FernetError,
    );
    const raw = Buffer.from(REFERENCE_FERNET_TOKEN, "base64url");
    raw[raw.length - 1]! ^= 1;
    const tampered = raw.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
    expect(() => fernetDecrypt(REFERENCE_FERNET_KEY, tampered)).toThrow(/HMAC/);
  });

  it("rejects malformed keys", () => {
    for (const key of [
      "",
      "short",
      REFERENCE_FERNET_KEY.slice(0, 43),
      `${REFERENCE_FERNET_KEY}x`,
    ]) {
      expect(() => fernetDecrypt(key, REFERENCE_FERNET_TOKEN)).toThrow(/32 url-safe/);
    }
  });

  it("round-trips unicode and long passwords with fresh keys; keys look like Python's", () => {
    const key = generateFernetKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    for (const secret of ["p", "pässwörd ✓", "x".repeat(1000)]) {
      const token = fernetEncrypt(key, secret);
      expect(token).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/);
      expect(token.length % 4).toBe(0);
      expect(fernetDecrypt(key, token).toString()).toBe(secret);
    }
  });
});

describe("Fernet interoperability with Python's cryptography package", () => {
  itWhenPythonCryptographyInstalled("Python decrypts our token and we decrypt Python's", () => {
    const key = generateFernetKey();
    const ours = fernetEncrypt(key, "s3cret ✓");
    const pythonReadsOurs = runPython(
      "import sys; from cryptography.fernet import Fernet; k,t=sys.stdin.read().split(); sys.stdout.write(Fernet(k.encode()).decrypt(t.encode()).decode())",
      `${key} ${ours}`,
    );
    expect(pythonReadsOurs).toBe("s3cret ✓");

    const theirs = runPython(
      "import sys; from cryptography.fernet import Fernet; k=sys.stdin.read().strip(); sys.stdout.write(Fernet(k.encode()).encrypt('from python ✓'.encode()).decode())",
      key,
    );
    expect(fernetDecrypt(key, theirs.trim()).toString()).toBe("from python ✓");

    const pythonKey = runPython(
      "import sys; from cryptography.fernet import Fernet; sys.stdout.write(Fernet.generate_key().decode())",
    );
    expect(fernetDecrypt(pythonKey, fernetEncrypt(pythonKey, "k")).toString()).toBe("k");
  });
});
