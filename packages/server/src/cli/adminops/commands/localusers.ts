// `adminops localusers …`: the WESkit users.yaml tool (the original LocalUserManagement.py),
// mounted as one adminops command. The work itself lives in login/users-file; this module only
// maps adminops arguments onto those functions.

import type { CliIo } from "@tokenleader/client/terminal";
import {
  addUser,
  changeRoles,
  listUsers,
  removeUser,
  setPassword,
} from "../../../login/users-file/localusers-command.js";
import type { LocalUsersIo } from "../../../login/users-file/terminal-io.js";
import { type AdminopsCommand, UsageError } from "../command-module.js";
import type { AdminopsContext } from "../context.js";

const ACTIONS = {
  list: listUsers,
  add: addUser,
  remove: removeUser,
  "change-roles": changeRoles,
  changeRoles: changeRoles,
  "set-password": setPassword,
  passwd: setPassword,
} as const;

type Action = keyof typeof ACTIONS;

export const localusersCommand: AdminopsCommand = {
  command: "localusers <action> [username]",
  describe:
    "manage a WESkit-style users.yaml (local login users): list | add | remove | change-roles | set-password",
  builder: (yargs) =>
    yargs
      .positional("action", {
        type: "string",
        choices: Object.keys(ACTIONS),
        describe: "what to do",
      })
      .positional("username", {
        type: "string",
        describe: "the user (asked for when left out on a terminal)",
      })
      .option("file", {
        alias: "f",
        type: "string",
        describe: "the users.yaml to manage (default: [local_auth] users_file of the settings)",
      })
      .option("roles", {
        type: "string",
        describe: "add/change-roles: comma-separated role list, e.g. Admin,default",
      })
      .option("admin", {
        type: "boolean",
        describe: "add/change-roles: shortcut for --roles Admin,default (the original's admin)",
      })
      .option("email", { type: "string", describe: "add: e-mail address of the user" })
      .option("wfc", { type: "string", describe: "add: work function context name" })
      .option("password-stdin", {
        type: "boolean",
        describe: "add/set-password: read the password from the first line of stdin",
      })
      .example("$0 localusers add alice --roles default -f users.yaml", "prompts for a password")
      .example("$0 localusers list -f users.yaml --json", ""),
  async run(argv, ctx) {
    const action = argv.action as Action;
    const handler = ACTIONS[action];
    const file = (argv.file as string | undefined) ?? usersFileFromSettings(ctx);
    if (!file) {
      throw new UsageError(
        "name the users file with --file (or set [local_auth] users_file in the settings)",
      );
    }
    const args = {
      ...argv,
      file,
      json: ctx.globals.json,
      passwordStdin: Boolean(argv.passwordStdin),
      argon2: ctx.settings().passwords,
      passwordMinLength: ctx.settings().passwords.minLength,
    };
    return handler(args as Parameters<typeof handler>[0], toLocalUsersIo(ctx.io));
  },
};

/** The configured users file, when the settings name one (no settings file is fine too). */
function usersFileFromSettings(ctx: AdminopsContext): string | undefined {
  const settings = ctx.settings() as { localAuth?: { usersFile?: string | null } };
  return settings.localAuth?.usersFile ?? undefined;
}

/** The users-file functions speak LocalUsersIo (line-oriented); adminops hands out a CliIo. */
function toLocalUsersIo(io: CliIo): LocalUsersIo {
  const line = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);
  return {
    out: (text) => io.out(line(text)),
    err: (text) => io.err(line(text)),
    interactive: io.stdinIsTty,
    ask: (question) => io.prompt(question),
    askSecret: (question) => io.promptHidden(question),
    readStdin: () => io.readStdin(),
  };
}
