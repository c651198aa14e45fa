import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readTokenClaims, TokenClaimsSchema } from "./claims.js";

// readTokenClaims is the schema's parse by hand: whatever it accepts, the schema accepts with the
// same result; whatever it declines is left to the schema. Random claims near the schema's edges.

// Mostly well-formed, so that every field is sometimes the only thing wrong.
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.option(arb, { nil: undefined, freq: 12 }) as fc.Arbitrary<T | undefined>;
const oddValue = fc.oneof(
  fc.constantFrom(null, 0, -0, 1.5, 2 ** 53, -1, "", "x", true, [], {}, ["a"]),
  fc.integer(),
  fc.string(),
);
const intLike = mostly(
  fc.integer(),
  fc.oneof(oddValue, fc.constantFrom(-0, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER)),
);
const textLike = mostly(fc.string({ maxLength: 3 }), oddValue);
const extras = fc.dictionary(fc.constantFrom("extra", "tva", "__proto__", "sid"), oddValue, {
  maxKeys: 2,
});

/** An object with the given fields, each maybe missing, plus maybe some extra keys. */
function objectOf(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const entries = Object.entries(fields).map(([key, arb]) =>
    maybe(arb).map((value) => [key, value] as const),
  );
  return fc.tuple(fc.tuple(...entries), extras, fc.boolean()).map(([pairs, extra, extraFirst]) => {
    // JSON.parse makes own "__proto__" keys; so does this.
    const json = JSON.stringify(
      Object.fromEntries([
        ...(extraFirst ? Object.entries(extra) : []),
        ...pairs.filter(([, v]) => v !== undefined),
        ...(extraFirst ? [] : Object.entries(extra)),
      ]),
    );
    return JSON.parse(json);
  });
}

const roles = mostly(fc.array(textLike, { maxLength: 3 }), oddValue);
const wfc = mostly(
  objectOf({ id: intLike, name: textLike, org: textLike, orgunit: textLike, department: textLike }),
  oddValue,
);
const sub = mostly(
  objectOf({ id: intLike, username: textLike, email: textLike, roles, wfc }),
  oddValue,
);
const claims = mostly(
  objectOf({
    iat: intLike,
    exp: intLike,
    sub,
    iss: textLike,
    jti: textLike,
    aud: fc.oneof(fc.array(textLike, { maxLength: 2 }), textLike),
  }),
  oddValue,
);

describe("readTokenClaims", () => {
  it("gives what TokenClaimsSchema gives, or leaves the claims to the schema", () => {
    let read = 0;
    fc.assert(
      fc.property(claims, (value) => {
        const fast = readTokenClaims(value);
        if (fast === undefined) return;
        read++;
        const parsed = TokenClaimsSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(fast).toStrictEqual(parsed.data);
        // The same keys in the same order (the server answers verify_token with these claims).
        expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
      }),
      { numRuns: 2000 },
    );
    // The property says something only if the fast path takes some of the cases.
    expect(read).toBeGreaterThan(50);
  });

  it("reads a well-formed token's claims without the schema's help", () => {
    const value = {
      sub: { id: 7, username: "u", roles: ["r"], wfc: null, tva: 1 },
      iat: 1,
      exp: 2,
      iss: "https://issuer",
      jti: "j",
      aud: ["svc"],
    };
    expect(readTokenClaims(value)).toStrictEqual(TokenClaimsSchema.parse(value));
    expect(readTokenClaims({ ...value, sub: { ...value.sub, id: "7" } })).toBeUndefined();
  });
});
