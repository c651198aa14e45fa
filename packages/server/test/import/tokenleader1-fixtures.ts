// tokenleader 1.x databases for the import tests, written from the DDL of reference §4.1 (1.8,
// alembic 3f6c8ac80cdf) and §4.2 (corrected, tokenrest 70c688d7cd94). Identifiers are quoted
// with backticks, which SQLite and MySQL/MariaDB both accept (PostgreSQL gets double quotes).
import { pbkdf2Sync } from "node:crypto";

/** Reference §4.7's vector: password "user1". */
export const WERKZEUG_USER1 =
  "pbkdf2:sha256:50000$abcdEFGH$69aaa968e7df7832f5ddd55d5e7617c42392b08314eeb3ebc99ed538074977fb";

/** A Werkzeug 0.14 `generate_password_hash` string, computed as Werkzeug does. */
export function werkzeugHash(password: string, salt: string, iterations = 50000): string {
  const hex = pbkdf2Sync(password, salt, iterations, 32, "sha256").toString("hex");
  return `pbkdf2:sha256:${iterations}$${salt}$${hex}`;
}

const ALEMBIC = (revision: string) => [
  "CREATE TABLE `alembic_version` (`version_num` VARCHAR(32) NOT NULL, PRIMARY KEY (`version_num`))",
  `INSERT INTO \`alembic_version\` VALUES ('${revision}')`,
];

const USER_AND_ROLES = (wfcColumn: string) => [
  `CREATE TABLE \`user\` (\`id\` INTEGER NOT NULL, \`username\` VARCHAR(64) NOT NULL, \`email\` VARCHAR(120), \`password_hash\` VARCHAR(128)${wfcColumn}, PRIMARY KEY (\`id\`))`,
  "CREATE UNIQUE INDEX `ix_user_email` ON `user` (`email`)",
  "CREATE UNIQUE INDEX `ix_user_username` ON `user` (`username`)",
  "CREATE TABLE `role` (`id` INTEGER NOT NULL, `rolename` VARCHAR(64) NOT NULL, `userid` INTEGER, PRIMARY KEY (`id`), UNIQUE (`rolename`), FOREIGN KEY (`userid`) REFERENCES `user` (`id`))",
  "CREATE TABLE `roles_n_user_map` (`role_id` INTEGER NOT NULL, `user_id` INTEGER NOT NULL, PRIMARY KEY (`role_id`, `user_id`), FOREIGN KEY (`role_id`) REFERENCES `role` (`id`), FOREIGN KEY (`user_id`) REFERENCES `user` (`id`))",
  "CREATE TABLE `service_catalog` (`id` INTEGER NOT NULL, `name` VARCHAR(64), `password_hash` VARCHAR(128), `endpoint_url_internal` VARCHAR(256), `endpoint_url_external` VARCHAR(256), `endpoint_url_admin` VARCHAR(256), PRIMARY KEY (`id`))",
  "CREATE UNIQUE INDEX `ix_service_catalog_name` ON `service_catalog` (`name`)",
  "CREATE UNIQUE INDEX `ix_service_catalog_endpoint_url_internal` ON `service_catalog` (`endpoint_url_internal`)",
];

/**
 * The 1.8 schema with its anomalies (reference §4.1):
 * - wfc1 (org1/ou1/dept1) belongs to user1 (the §4.7 hash, password "user1"), roles role1;
 * - wfc2 and then wfc3 were registered with org2/ou2/dept2: the later one took all three, so
 *   wfc2 has none; bob (wfc2) cannot be mapped, carol (wfc3, roles role1+role2) can;
 * - wfc1 was assigned to dave before user1: dave has no wfc;
 * - frank's e-mail is carol's with a trailing space (distinct in 1.x, the same once trimmed;
 *   MySQL's collations already call them equal, so there frank has an e-mail of his own);
 * - role1.userid is set (the unused leftover column), and a role grant names a deleted user.
 */
export function tokenleader18Statements(options: { mysql?: boolean } = {}): string[] {
  const frankEmail = options.mysql ? "frank@example.org" : "carol@example.org ";
  return [
    ...ALEMBIC("3f6c8ac80cdf"),
    ...USER_AND_ROLES(""),
    "CREATE TABLE `workfunctioncontext` (`id` INTEGER NOT NULL, `name` VARCHAR(64) NOT NULL, `userid` INTEGER, PRIMARY KEY (`id`), UNIQUE (`name`), FOREIGN KEY (`userid`) REFERENCES `user` (`id`))",
    "CREATE TABLE `organization` (`id` INTEGER NOT NULL, `name` VARCHAR(64) NOT NULL, `orgtype` VARCHAR(64), `auth_backend` VARCHAR(64), `work_func_id` INTEGER, PRIMARY KEY (`id`), UNIQUE (`name`), FOREIGN KEY (`work_func_id`) REFERENCES `workfunctioncontext` (`id`))",
    "CREATE TABLE `org_unit` (`id` INTEGER NOT NULL, `name` VARCHAR(64) NOT NULL, `work_func_id` INTEGER, PRIMARY KEY (`id`), UNIQUE (`name`), FOREIGN KEY (`work_func_id`) REFERENCES `workfunctioncontext` (`id`))",
    "CREATE TABLE `department` (`id` INTEGER NOT NULL, `name` VARCHAR(64) NOT NULL, `work_func_id` INTEGER, PRIMARY KEY (`id`), UNIQUE (`name`), FOREIGN KEY (`work_func_id`) REFERENCES `workfunctioncontext` (`id`))",
    `INSERT INTO \`user\` VALUES (1, 'user1', 'user1', '${WERKZEUG_USER1}')`,
    `INSERT INTO \`user\` VALUES (2, 'bob', 'bob@example.org', '${werkzeugHash("bob-pw", "bobSALT1")}')`,
    `INSERT INTO \`user\` VALUES (3, 'carol', 'carol@example.org', '${werkzeugHash("carol-pw", "carolSLT")}')`,
    `INSERT INTO \`user\` VALUES (4, 'dave', 'dave@example.org', '${werkzeugHash("dave-pw", "daveSALT")}')`,
    `INSERT INTO \`user\` VALUES (5, 'frank', '${frankEmail}', '${werkzeugHash("frank-pw", "frankSLT")}')`,
    "INSERT INTO `role` VALUES (1, 'role1', 1)",
    "INSERT INTO `role` VALUES (2, 'role2', NULL)",
    "INSERT INTO `roles_n_user_map` VALUES (1, 1)",
    "INSERT INTO `roles_n_user_map` VALUES (1, 3)",
    "INSERT INTO `roles_n_user_map` VALUES (2, 3)",
    "INSERT INTO `roles_n_user_map` VALUES (2, 5)",
    "INSERT INTO `roles_n_user_map` VALUES (2, 99)",
    "INSERT INTO `workfunctioncontext` VALUES (1, 'wfc1', 1)",
    "INSERT INTO `workfunctioncontext` VALUES (2, 'wfc2', 2)",
    "INSERT INTO `workfunctioncontext` VALUES (3, 'wfc3', 3)",
    "INSERT INTO `workfunctioncontext` VALUES (4, 'wfc4', 5)",
    "INSERT INTO `organization` VALUES (1, 'org1', 'inernal', 'standard', 1)",
    "INSERT INTO `organization` VALUES (2, 'org2', 'inernal', 'standard', 3)",
    "INSERT INTO `organization` VALUES (3, 'org3', 'inernal', 'standard', 4)",
    "INSERT INTO `org_unit` VALUES (1, 'ou1', 1)",
    "INSERT INTO `org_unit` VALUES (2, 'ou2', 3)",
    "INSERT INTO `org_unit` VALUES (3, 'ou3', 4)",
    "INSERT INTO `department` VALUES (1, 'dept1', 1)",
    "INSERT INTO `department` VALUES (2, 'dept2', 3)",
    "INSERT INTO `department` VALUES (3, 'dept3', 4)",
    `INSERT INTO \`service_catalog\` VALUES (1, 'tokenleader', '${werkzeugHash("tokenleader", "svcSALT1")}', 'localhost:5001', NULL, NULL)`,
    "INSERT INTO `service_catalog` VALUES (2, 'micros1', NULL, 'http://micros1:5002', 'https://micros1.example.org', 'http://admin:5003')",
  ];
}

/**
 * The corrected (tokenrest) schema: wfc1 and wfc2 share org1/ou1/dept1 (allowed there); user1
 * (wfc1), carol (wfc2); grace's wfc_id names no wfc (SQLite does not enforce the foreign key).
 */
export function tokenleaderCorrectedStatements(): string[] {
  return [
    ...ALEMBIC("70c688d7cd94"),
    "CREATE TABLE `organization` (`id` INTEGER NOT NULL, `name` VARCHAR(64) NOT NULL, `orgtype` VARCHAR(64), `auth_backend` VARCHAR(64), PRIMARY KEY (`id`), UNIQUE (`name`))",
    "CREATE TABLE `orgunit` (`id` INTEGER NOT NULL, `name` VARCHAR(64) NOT NULL, PRIMARY KEY (`id`), UNIQUE (`name`))",
    "CREATE TABLE `department` (`id` INTEGER NOT NULL, `name` VARCHAR(64) NOT NULL, PRIMARY KEY (`id`), UNIQUE (`name`))",
    "CREATE TABLE `workfunctioncontext` (`id` INTEGER NOT NULL, `name` VARCHAR(64) NOT NULL, `org_id` INTEGER NOT NULL, `orgunit_id` INTEGER NOT NULL, `department_id` INTEGER NOT NULL, PRIMARY KEY (`id`), UNIQUE (`name`), FOREIGN KEY (`org_id`) REFERENCES `organization` (`id`), FOREIGN KEY (`orgunit_id`) REFERENCES `orgunit` (`id`), FOREIGN KEY (`department_id`) REFERENCES `department` (`id`))",
    ...USER_AND_ROLES(", `wfc_id` INTEGER NOT NULL"),
    "INSERT INTO `organization` VALUES (1, 'org1', 'inernal', 'standard')",
    "INSERT INTO `orgunit` VALUES (1, 'ou1')",
    "INSERT INTO `department` VALUES (1, 'dept1')",
    "INSERT INTO `workfunctioncontext` VALUES (1, 'wfc1', 1, 1, 1)",
    "INSERT INTO `workfunctioncontext` VALUES (2, 'wfc2', 1, 1, 1)",
    `INSERT INTO \`user\` VALUES (1, 'user1', 'user1', '${WERKZEUG_USER1}', 1)`,
    `INSERT INTO \`user\` VALUES (2, 'carol', 'carol@example.org', '${werkzeugHash("carol-pw", "carolSLT")}', 2)`,
    `INSERT INTO \`user\` VALUES (3, 'grace', NULL, '${werkzeugHash("grace-pw", "graceSLT")}', 77)`,
    "INSERT INTO `role` VALUES (1, 'role1', NULL)",
    "INSERT INTO `roles_n_user_map` VALUES (1, 1)",
    "INSERT INTO `roles_n_user_map` VALUES (1, 2)",
    `INSERT INTO \`service_catalog\` VALUES (1, 'tokenleader', NULL, 'localhost:5001', NULL, NULL)`,
  ];
}

/** The same statements for PostgreSQL (double-quoted identifiers). */
export function forPostgres(statements: readonly string[]): string[] {
  return statements.map((sql) => sql.replaceAll("`", '"'));
}
