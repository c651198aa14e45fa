// Where a signing key stands at a given time, from its row alone (plus which key signs). The
// `signing_key` columns mean:
//   activates_at  the key signs from then on (until then it is only published: "pending");
//   retired_at    null: not retired. Set: the key no longer signs, and it stays published until
//                 this time (when its last token has expired), then it is "gone".
// The newest key (highest sequence) that has activated and is not retired signs; the others that
// have activated stay published ("published") until an operator retires them.

export type KeyState = "pending" | "active-signing" | "published" | "retired-until" | "gone";

export interface KeyTimes {
  readonly sequence: number;
  readonly activatesAt: Date;
  readonly retiredAt: Date | null;
}

/**
 * The key that signs at `now`: the newest activated key that is not retired. Should none have
 * activated yet by this host's clock (a clock a little behind the one that stored the first key),
 * the oldest key not retired: signing with it is what every other instance does too. Null when
 * every key is retired.
 */
export function signingKeyAt<K extends KeyTimes>(keys: readonly K[], now: Date): K | null {
  const usable = [...keys].filter((key) => key.retiredAt === null);
  usable.sort((a, b) => a.sequence - b.sequence);
  const active = usable.filter((key) => key.activatesAt <= now);
  return active[active.length - 1] ?? usable[0] ?? null;
}

export function keyStateAt(key: KeyTimes, signing: KeyTimes | null, now: Date): KeyState {
  if (key.retiredAt !== null) return key.retiredAt > now ? "retired-until" : "gone";
  if (signing !== null && key.sequence === signing.sequence) return "active-signing";
  return key.activatesAt > now ? "pending" : "published";
}

/** Published in the JWKS and accepted by the verifiers: every state but "gone". */
export function isPublishedAt(key: KeyTimes, now: Date): boolean {
  return key.retiredAt === null || key.retiredAt > now;
}

/** The next time a key's state changes by the clock alone (an activation or an unpublication). */
export function nextKeyChangeAfter(keys: readonly KeyTimes[], now: Date): Date | null {
  let next: number | null = null;
  for (const key of keys) {
    for (const time of [key.retiredAt === null ? key.activatesAt : null, key.retiredAt]) {
      if (time !== null && time > now && (next === null || time.getTime() < next)) {
        next = time.getTime();
      }
    }
  }
  return next === null ? null : new Date(next);
}
