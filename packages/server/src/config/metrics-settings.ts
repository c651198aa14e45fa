// `[metrics]`: whether /metrics is served and who may read it. Per-request counters cost little,
// but the numbers tell an attacker about logins and load: by default only this host may read them.

import type { SettingId } from "./setting-definitions.js";
import type { ValueSource } from "./setting-schemas.js";
import type { MetricsSettings } from "./settings-types.js";

export interface MetricsValues {
  metricsEnabled?: boolean;
  metricsAllow?: string[] | "any";
  metricsTokenFile?: string;
}

export const METRICS_DEFAULT_ALLOW: readonly string[] = Object.freeze(["loopback"]);

export function resolveMetricsSettings(
  values: MetricsValues,
  sources: Partial<Record<SettingId, ValueSource>>,
): { metrics: MetricsSettings; warnings: string[] } {
  const metrics: MetricsSettings = {
    enabled: values.metricsEnabled ?? true,
    allow: values.metricsAllow ?? METRICS_DEFAULT_ALLOW,
    tokenFile: values.metricsTokenFile ?? null,
  };
  const warnings: string[] = [];
  if (metrics.enabled && metrics.allow === "any" && metrics.tokenFile === null) {
    warnings.push(
      `${sources.metricsAllow?.describe ?? "[metrics] allow"}: "any" without [metrics] token_file lets every client read /metrics; set token_file, or list the scrapers' addresses`,
    );
  }
  return { metrics, warnings };
}
