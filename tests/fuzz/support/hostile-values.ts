// fast-check arbitraries for hostile input: strings an attacker would try, and JSON bodies shaped
// like the ones a route expects (its field names) with anything as values.

import fc from "fast-check";

/** Strings known to break naive code: prototype keys, injections, control and bidi characters. */
const KNOWN_HOSTILE = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "../../../../etc/passwd",
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  "$" + "{jndi:ldap://127.0.0.1/x}",
  "<script>alert(1)</script>",
  "\u0000",
  "a\u0000b",
  "\u202eevil",
  "\r\nSet-Cookie: x=1",
  "%00",
  "\ud800",
  "🦄".repeat(50),
  " ",
  "",
  "a".repeat(5000),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...KNOWN_HOSTILE),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
);

/** Any JSON value, with hostile strings among the leaves and keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(
      fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor")),
      tie("value"),
      {
        maxKeys: 5,
      },
    ),
  ),
})).value;

/** An object with (some of) the route's own field names, each holding any hostile value. */
export function bodyWithFields(fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(fields.map((field) => [field, hostileJson])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Record<string, unknown>>;
}

/** What a client may put in a JSON body: a shaped object, any JSON value, or text that is not JSON. */
export function jsonBody(fields: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    bodyWithFields(fields).map((body) => JSON.stringify(body)),
    hostileJson.map((value) => JSON.stringify(value) ?? "null"),
    hostileString,
  );
}

/** An application/x-www-form-urlencoded body with the route's fields and hostile values. */
export function formBody(fields: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .record(Object.fromEntries(fields.map((field) => [field, hostileString])), {
        requiredKeys: [],
      })
      .map((form) => new URLSearchParams(form as Record<string, string>).toString()),
    hostileString,
  );
}
