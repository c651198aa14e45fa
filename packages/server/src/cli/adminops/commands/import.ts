import path from "node:path";
import { AppError } from "../../../errors.js";
import type { ImportPlan } from "../../../services/import-plan.js";
import { type AdminopsCommand, UsageError } from "../command-module.js";
import { formatImportReport } from "./import-report.js";

const FORMATS = ["tokenleader1", "weskit-users"] as const;

/**
 * `import tokenleader1 --from <path or URL>` and `import weskit-users <users.yaml> [--wfc W]`:
 * moves a tokenleader 1.x database or a WESkit users file into this server's database in one
 * transaction (idempotent: records are matched by name). `--dry-run` reports without writing.
 */
export const importCommand: AdminopsCommand = {
  command: "import <format> [file]",
  describe:
    "import a tokenleader 1.x database (tokenleader1) or a WESkit users.yaml (weskit-users)",
  builder: (yargs) =>
    yargs
      .positional("format", { type: "string", choices: FORMATS, describe: "what to import" })
      .positional("file", { type: "string", describe: "weskit-users: the users.yaml" })
      .option("from", {
        type: "string",
        describe:
          "tokenleader1: the 1.x database — a SQLite file, its SQLALCHEMY_DATABASE_URI (sqlite:////abs/path.db), postgresql://… or mysql://…",
      })
      .option("wfc", {
        type: "string",
        describe: "weskit-users: the wfc of users whose entry names none (default: no wfc)",
      })
      .option("dry-run", {
        type: "boolean",
        default: false,
        describe: "report what the import would do, write nothing",
      })
      .example("$0 import tokenleader1 --from sqlite:////tmp/auth.db --dry-run", "see first")
      .example("$0 import tokenleader1 --from mysql+pymysql://tl:pw@db/tokenleader", "")
      .example("$0 import weskit-users /etc/weskit/users.yaml --wfc wfc1", ""),
  async run(argv, ctx) {
    const format = String(argv.format);
    const dryRun = Boolean(argv["dry-run"]);
    let plan: ImportPlan;
    const service = await ctx.adminService();
    if (format === "tokenleader1") {
      if (argv.from === undefined || String(argv.from).trim() === "") {
        throw new UsageError(
          "import tokenleader1 needs --from <the 1.x database: a SQLite file or its SQLAlchemy URL>",
        );
      }
      if (argv.file !== undefined) {
        throw new UsageError(`import tokenleader1 takes no file argument; use --from ${argv.file}`);
      }
      if (argv.wfc !== undefined) throw new UsageError("--wfc is for import weskit-users only");
      const { readTokenleader1Plan } = await import("../../../import/index.js");
      plan = await readTokenleader1Plan(String(argv.from), ctx.cwd);
    } else {
      if (argv.file === undefined) {
        throw new UsageError(
          "import weskit-users needs the users.yaml: import weskit-users <file>",
        );
      }
      if (argv.from !== undefined) throw new UsageError("--from is for import tokenleader1 only");
      const wfc = argv.wfc === undefined ? null : String(argv.wfc).trim();
      if (wfc !== null && (await service.getWfc(wfc)) === null) {
        throw new AppError(
          "UNKNOWN_REFERENCE",
          `wfc "${wfc}" does not exist on this server: create it first (adminops addwfc)`,
          { field: "wfc" },
        );
      }
      const { readWeskitUsersPlan } = await import("../../../import/index.js");
      plan = await readWeskitUsersPlan(path.resolve(ctx.cwd, String(argv.file)), { wfc });
    }
    const report = await service.importRecords(plan, { dryRun });
    ctx.print(() => formatImportReport(report), report);
    return 0;
  },
};
