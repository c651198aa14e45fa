import { AppError } from "../../errors.js";
import { describeEntity, type EntityKind } from "../entity-kinds.js";

/** A record the input names that does not exist, and the input that named it. */
export interface UnknownReference {
  /** The service-layer input name ("ou" of a wfc, "roles" of a user). */
  field: string;
  kind: EntityKind;
  name: string;
}

/**
 * UNKNOWN_REFERENCE naming every missing record, e.g. `cannot register wfc "w": org unit "x",
 * department "y" do not exist; create them first`, with one detail (and its field) per record.
 */
export function unknownReferences(action: string, missing: readonly UnknownReference[]): AppError {
  const named = missing.map((reference) => describeEntity(reference.kind, reference.name));
  const one = missing.length === 1;
  return new AppError(
    "UNKNOWN_REFERENCE",
    `${action}: ${named.join(", ")} ${one ? "does" : "do"} not exist; create ${one ? "it" : "them"} first`,
    {
      details: missing.map((reference, index) => ({
        field: reference.field,
        problem: `${named[index]} does not exist`,
      })),
    },
  );
}
