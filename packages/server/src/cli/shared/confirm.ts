import type { CliIo } from "@tokenleader/client/terminal";

export type ConfirmationOutcome = "confirmed" | "declined" | "no-terminal";

/**
 * Asks before a destructive action. `--yes` confirms without asking; without a terminal there
 * is nobody to ask, so the caller must refuse (never assume yes).
 */
export async function confirmAction(
  io: CliIo,
  question: string,
  assumeYes: boolean,
): Promise<ConfirmationOutcome> {
  if (assumeYes) return "confirmed";
  if (!io.stdinIsTty) return "no-terminal";
  const answer = (await io.prompt(`${question} Type 'yes' to confirm: `)).trim().toLowerCase();
  return answer === "yes" || answer === "y" ? "confirmed" : "declined";
}
