// The service catalog: registered services with their endpoint URLs (and an optional
// service-account password, stored as a hash), returned with every token.
import { z } from "zod";
import { Prisma } from "../../db/prisma-client.js";
import { AppError } from "../../errors.js";
import { hashPassword } from "../../passwords/argon2.js";
import { describeEntity } from "../entity-kinds.js";
import {
  type ServiceCatalog,
  type ServiceRecord,
  toServiceCatalog,
  toServiceRecord,
} from "../records.js";
import { reading } from "../transactions.js";
import {
  nameSchema,
  newPasswordSchema,
  optionalUrlSchema,
  requiredUrlSchema,
  validate,
} from "../validation.js";
import type { AdminContext } from "./context.js";
import { nameInput } from "./named-tables.js";

/** A row of service_catalog as a plain statement returns it. */
interface CatalogRow {
  id: number | bigint;
  name: string;
  endpoint_url_internal: string | null;
  endpoint_url_external: string | null;
  endpoint_url_admin: string | null;
}

export interface NewService {
  name: string;
  password?: string | null;
  urlInternal: string;
  urlExternal?: string | null;
  urlAdmin?: string | null;
}

function newServiceInput(passwordMinLength: number) {
  return z.object({
    name: nameSchema,
    password: newPasswordSchema(passwordMinLength).nullish(),
    urlInternal: requiredUrlSchema,
    urlExternal: optionalUrlSchema,
    urlAdmin: optionalUrlSchema,
  });
}

export function catalogRules({ db, passwordParams, writes }: AdminContext) {
  const serviceInput = newServiceInput(passwordParams.minLength);
  // Read at every login (the catalog comes with every token): one plain statement
  // (db/hot-statements.ts) rather than the ORM's findMany.
  const listServices = async (): Promise<ServiceRecord[]> => {
    const rows = await reading(() =>
      db.hot.all<CatalogRow>(Prisma.sql`
        SELECT "id", "name", "endpoint_url_internal", "endpoint_url_external", "endpoint_url_admin"
        FROM "service_catalog" ORDER BY "id" ASC`),
    );
    return rows.map((row) => ({
      id: Number(row.id),
      name: row.name,
      endpoint_url_internal: row.endpoint_url_internal,
      endpoint_url_external: row.endpoint_url_external,
      endpoint_url_admin: row.endpoint_url_admin,
    }));
  };

  return {
    async addService(newService: NewService): Promise<ServiceRecord> {
      const input = validate(serviceInput, newService);
      const subject = describeEntity("service", input.name);
      const passwordHash =
        input.password == null ? null : await hashPassword(input.password, passwordParams);
      return writes.changing(
        { kind: "service", name: input.name, action: "created" },
        async (tx) => {
          if (await tx.service.findUnique({ where: { name: input.name } })) {
            throw new AppError("ALREADY_EXISTS", `${subject} already exists`);
          }
          const row = await tx.service.create({
            data: {
              name: input.name,
              passwordHash,
              endpointUrlInternal: input.urlInternal,
              endpointUrlExternal: input.urlExternal,
              endpointUrlAdmin: input.urlAdmin,
            },
          });
          return toServiceRecord(row);
        },
      );
    },

    listServices,

    async getService(rawName: string): Promise<ServiceRecord | null> {
      const { name } = validate(nameInput, { name: rawName });
      const row = await reading(() => db.prisma.service.findUnique({ where: { name } }));
      return row ? toServiceRecord(row) : null;
    },

    async deleteService(rawName: string): Promise<ServiceRecord> {
      const { name } = validate(nameInput, { name: rawName });
      const subject = describeEntity("service", name);
      return writes.changing({ kind: "service", name, action: "deleted" }, async (tx) => {
        const row = await tx.service.findUnique({ where: { name } });
        if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
        await tx.service.delete({ where: { id: row.id } });
        return toServiceRecord(row);
      });
    },

    /** Every registered service keyed by name: the `service_catalog` of a token response. */
    serviceCatalog: async (): Promise<ServiceCatalog> => toServiceCatalog(await listServices()),
  };
}
