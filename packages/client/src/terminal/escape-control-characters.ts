// User-supplied text (usernames, refusal reasons) goes into log lines and terminal tables. Printed
// raw, a newline forges a second log line, ESC drives the terminal, and U+202E (right-to-left
// override) makes "nimda" read as "admin". This is the one escaping of such text for people and
// logs; stored values stay as they were given.

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

// C0 and C1 controls, DEL, the bidirectional controls (LRM/RLM/ALM, embeddings and overrides,
// isolates), zero-width characters and the BOM, and the line/paragraph separators. The backslash
// is escaped too, so an escaped value cannot be confused with a literal "\n" typed by someone.
const UNSAFE =
  /[\\\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu;

function escapeOne(character: string): string {
  const named = NAMED_ESCAPES[character];
  if (named) return named;
  const code = character.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u{${code.toString(16).padStart(4, "0")}}`;
}

// The same characters that JSON.stringify leaves raw (it escapes only U+0000–U+001F, '"' and '\').
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu;

/**
 * JSON text with the characters above written as \uXXXX escapes: it parses to exactly the same
 * values (scripts get what is stored) but shows nothing invisible or reordered on a terminal.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(
    UNSAFE_IN_JSON,
    (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

/** `text` with every control, bidi-override and invisible character written as a visible escape. */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}
