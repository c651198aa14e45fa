import { escapeControlCharacters } from "@tokenleader/client/terminal";
import { ENTITY_LABELS } from "../../../services/entity-kinds.js";
import {
  IMPORT_ENTITIES,
  type ImportProblem,
  type ImportReport,
} from "../../../services/import-plan.js";
import { formatTable } from "../../shared/table.js";

/** The import report for people: counts per kind of record, then every record left out or changed. */
export function formatImportReport(report: ImportReport): string {
  const head =
    `${report.dryRun ? "dry run: nothing was written. " : ""}import ${report.format} from ` +
    `${escapeControlCharacters(report.source)}\n  recognised: ${report.sourceShape}\n\n`;
  const table = formatTable(
    ["RECORDS", "CREATED", "UPDATED", "UNCHANGED", "NOT MAPPED"],
    IMPORT_ENTITIES.map((entity) => {
      const counts = report.counts[entity];
      return [
        `${ENTITY_LABELS[entity]}s`,
        String(counts.created),
        String(counts.updated),
        String(counts.unchanged),
        String(counts.notMapped),
      ];
    }),
  );
  return `${head}${table}${problemList("not mapped", report.notMapped)}${problemList("imported with a change", report.warnings)}`;
}

function problemList(title: string, problems: readonly ImportProblem[]): string {
  if (problems.length === 0) return "";
  const lines = problems.map((problem) => {
    const label = problem.entity === "role grant" ? "role grant" : ENTITY_LABELS[problem.entity];
    return `  ${label} "${escapeControlCharacters(problem.name)}": ${escapeControlCharacters(problem.reason)}\n`;
  });
  return `\n${title} (${problems.length}):\n${lines.join("")}`;
}
