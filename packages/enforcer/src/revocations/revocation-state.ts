// What a local-mode enforcer knows of the token server's revocations (issue 17): per user the
// cutoff `validAfter` (ms) and the set of ended login sessions. Filled from the revocation stream
// (revocation-follower.ts); asked on every request, so each check is two Map/Set lookups.

import { readUsername } from "./token-username.js";

export type RevocationMessage =
  | { readonly type: "user"; readonly username: string; readonly validAfter: number }
  | { readonly type: "session"; readonly sid: string };

export interface RevocationSnapshotMessage {
  readonly users: ReadonlyArray<{ readonly username: string; readonly validAfter: number }>;
  readonly sessions: readonly string[];
}

export class RevocationState {
  private users = new Map<string, number>();
  private sessions = new Set<string>();

  apply(message: RevocationMessage): void {
    if (message.type === "session") this.sessions.add(message.sid);
    else this.users.set(message.username, message.validAfter);
  }

  /** Replaces everything (the server's `resync`). */
  replace(snapshot: RevocationSnapshotMessage): void {
    this.users = new Map(snapshot.users.map((user) => [user.username, user.validAfter]));
    this.sessions = new Set(snapshot.sessions);
  }

  /**
   * True when the token was revoked: its session ended, or it was issued under an older cutoff of
   * its user. `tva` (the cutoff the token was issued under, ms) decides exactly; `iat` has only
   * whole seconds, so a token issued in the same second as the cutoff counts as older (refused:
   * the safe side; a re-created user's first tokens may need a second). Both must say "older"
   * when `tva` is present, so a deleted and re-created user's new tokens (tva 0) pass.
   */
  isRevoked(claims: Readonly<Record<string, unknown>>): boolean {
    const sid = claims["sid"];
    if (typeof sid === "string" && this.sessions.has(sid)) return true;
    if (this.users.size === 0) return false;
    const username = readUsername(claims);
    if (username === null) return false;
    const validAfter = this.users.get(username);
    if (validAfter === undefined) return false;
    const iat = claims["iat"];
    const issuedBefore = typeof iat !== "number" || iat * 1000 <= validAfter;
    const tva = claims["tva"];
    return typeof tva === "number" ? tva < validAfter && issuedBefore : issuedBefore;
  }

  get size(): { users: number; sessions: number } {
    return { users: this.users.size, sessions: this.sessions.size };
  }
}
