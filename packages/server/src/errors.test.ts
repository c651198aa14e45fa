import { expect, it } from "vitest";
import { describeEachProvider } from "../test/helpers/test-databases.js";
import { DatabaseNotInitialisedError, DatabaseUnreachableError } from "./db/errors.js";
import { AppError, toAppError } from "./errors.js";

describeEachProvider("toAppError on real Prisma errors", (ctx) => {
  it("maps unique (P2002), foreign key (P2003) and missing record (P2025) errors", async () => {
    const prisma = ctx.db.prisma;
    await prisma.organization.create({ data: { name: "dup" } });
    const duplicate = await prisma.organization.create({ data: { name: "dup" } }).catch((e) => e);
    expect(toAppError(duplicate, 'organization "dup"')).toMatchObject({
      code: "ALREADY_EXISTS",
      httpStatus: 409,
      message: 'organization "dup" already exists',
    });
    const dangling = await prisma.workFunctionContext
      .create({ data: { name: "w", orgId: 999, orgUnitId: 999, departmentId: 999 } })
      .catch((e) => e);
    expect(toAppError(dangling).code).toBe("STILL_REFERENCED");
    const missing = await prisma.role.delete({ where: { id: 424242 } }).catch((e) => e);
    expect(toAppError(missing, 'role "x"')).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
  });
});

it("maps data-layer errors and hides 5xx internals from clients", () => {
  const notInit = toAppError(new DatabaseNotInitialisedError("file:/x.db", [], false));
  expect(notInit).toMatchObject({ code: "DB_NOT_INITIALISED", httpStatus: 503 });
  expect(notInit.message).toBe("database at file:/x.db is not initialised: run adminops initdb");
  expect(notInit.publicMessage).toBe("the database is not initialised");
  const down = toAppError(new DatabaseUnreachableError("postgresql://u:***@h/db", "ECONNREFUSED"));
  expect(down).toMatchObject({ code: "DB_UNREACHABLE", httpStatus: 503 });
  const unexpected = toAppError(new TypeError("x is undefined"));
  expect(unexpected).toMatchObject({
    code: "INTERNAL",
    httpStatus: 500,
    publicMessage: "internal error",
  });
  expect(unexpected.cause).toBeInstanceOf(TypeError);
  const own = new AppError("VALIDATION_FAILED", "name must not be empty", {
    details: [{ field: "name", problem: "must not be empty" }],
  });
  expect(toAppError(own)).toBe(own);
  expect(own.publicMessage).toBe("name must not be empty");
});
