// The kinds of records the admin service manages, with the words used in messages.

export type NamedKind = "org" | "ou" | "dept" | "role";
export type EntityKind = NamedKind | "wfc" | "user" | "service";

export const ENTITY_LABELS: Record<EntityKind, string> = {
  org: "organization",
  ou: "org unit",
  dept: "department",
  role: "role",
  wfc: "wfc",
  user: "user",
  service: "service",
};

/** `organization "org1"`: how messages name one record. */
export function describeEntity(kind: EntityKind, name: string): string {
  return `${ENTITY_LABELS[kind]} "${name}"`;
}

/** `wfc "a", "b" and 3 more`: names a few of many records without flooding a message. */
export function describeSome(kind: EntityKind, names: string[], total: number): string {
  const shown = names.slice(0, 5).map((name) => `"${name}"`);
  const more = total - shown.length;
  const plural = total === 1 ? ENTITY_LABELS[kind] : `${ENTITY_LABELS[kind]}s`;
  return `${plural} ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}
