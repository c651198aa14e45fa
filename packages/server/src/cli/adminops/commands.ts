// Every adminops command, in the order `adminops --help` lists them. Adding a command is one
// line here (e.g. the login work's `localusers`).
import type { AdminopsCommand } from "./command-module.js";
import { addCommand } from "./commands/add.js";
import { addserviceCommand } from "./commands/addservice.js";
import { adduserCommand } from "./commands/adduser.js";
import { addwfcCommand } from "./commands/addwfc.js";
import { auditCommand } from "./commands/audit.js";
import { deleteCommand } from "./commands/delete.js";
import { deleteserviceCommand } from "./commands/deleteservice.js";
import { importCommand } from "./commands/import.js";
import { initdbCommand } from "./commands/initdb.js";
import { keysCommand } from "./commands/keys.js";
import { listCommand } from "./commands/list.js";
import { listserviceCommand } from "./commands/listservice.js";
import { localusersCommand } from "./commands/localusers.js";
import { lockoutsCommand } from "./commands/lockouts.js";
import { passwdCommand } from "./commands/passwd.js";
import { revokeCommand } from "./commands/revoke.js";
import { setrolesCommand } from "./commands/setroles.js";
import { unlockCommand } from "./commands/unlock.js";

export const adminopsCommands: readonly AdminopsCommand[] = [
  initdbCommand,
  addCommand,
  addwfcCommand,
  adduserCommand,
  passwdCommand,
  setrolesCommand,
  revokeCommand,
  lockoutsCommand,
  unlockCommand,
  listCommand,
  deleteCommand,
  addserviceCommand,
  listserviceCommand,
  deleteserviceCommand,
  localusersCommand,
  importCommand,
  auditCommand,
  keysCommand,
];
