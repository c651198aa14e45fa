// ONE PrismaClient type for both providers. The SQLite and PostgreSQL clients are generated from
// the same models, so they have the same API; code is typed against the SQLite one and
// openDatabase casts the PostgreSQL client to it (the only place that does).
export type { PrismaClient } from "./generated/sqlite/client.js";
// The Prisma namespace (error classes, input types, TransactionClient). Both generated clients
// re-export the same runtime, so `instanceof Prisma.PrismaClientKnownRequestError` works for either.
export {
  type Department,
  type Organization,
  type OrgUnit,
  Prisma,
  type Role,
  type Service,
  type User,
  type UserRole,
  type WorkFunctionContext,
} from "./generated/sqlite/client.js";
