import { basename, dirname, join } from "node:path";
import { type BootstrapResult, INITIAL_PASSWORD_FILE } from "./bootstrap-admin.js";

/**
 * What tokenleader-server prints (to the console, never the log) when it created the first
 * administrator. When an older initial-admin-password was kept (another database's), it says so:
 * the file a user looks for first is not this database's.
 */
export function firstAdminNotice(result: Extract<BootstrapResult, { created: true }>): string {
  const lines = [
    "",
    "  tokenleader: first start, an administrator was created.",
    `    username: ${result.username}`,
    `    password: ${result.password}`,
    `  The password is also in ${result.passwordFile} (mode 0600).`,
    "  Change it (adminops passwd -n admin) and delete that file; it is not shown again.",
  ];
  if (basename(result.passwordFile) !== INITIAL_PASSWORD_FILE) {
    const kept = join(dirname(result.passwordFile), INITIAL_PASSWORD_FILE);
    lines.push(`  ${kept} was left as it was: it belongs to another database.`);
  }
  return `${lines.join("\n")}\n\n`;
}
