// `[flask_default] ssl` / `ssl_settings` and `[server] tls_cert_file` / `tls_key_file`: whether the
// server speaks HTTPS itself and where its certificate comes from. The keys that must agree are
// checked here together; each value on its own is checked by setting-schemas.ts.

import { SETTING_DEFINITIONS, type SettingId } from "./setting-definitions.js";
import type { ValueSource } from "./setting-schemas.js";
import type { TlsSettings } from "./settings-types.js";

export interface TlsValues {
  ssl?: boolean;
  sslSettings?: "adhoc" | "files";
  tlsCertFile?: string;
  tlsKeyFile?: string;
}

export function resolveTlsSettings(
  values: TlsValues,
  sources: Partial<Record<SettingId, ValueSource>>,
): { tls: TlsSettings | null; problems: string[] } {
  const problems: string[] = [];
  const { tlsCertFile, tlsKeyFile } = values;
  const filesGiven = tlsCertFile !== undefined || tlsKeyFile !== undefined;
  const where = (id: SettingId) => sources[id]?.describe ?? id;
  if (!values.ssl) {
    // Certificate files without TLS would leave the operator believing the server speaks HTTPS.
    if (filesGiven) {
      const id = tlsCertFile !== undefined ? "tlsCertFile" : "tlsKeyFile";
      problems.push(
        `${where(id)}: a TLS certificate is configured but [flask_default] ssl is not "enabled"; set ssl = enabled (TOKENLEADER_SSL=enabled) to serve HTTPS, or remove tls_cert_file and tls_key_file`,
      );
    }
    return { tls: null, problems };
  }
  const mode = values.sslSettings ?? (filesGiven ? "files" : "adhoc");
  if (mode === "adhoc") {
    if (filesGiven) {
      problems.push(
        `${where("sslSettings")}: ssl_settings = adhoc makes a throw-away certificate, but [server] tls_cert_file/tls_key_file name one; set ssl_settings = files to serve those files, or remove them`,
      );
    }
    return { tls: { mode: "adhoc" }, problems };
  }
  if (tlsCertFile === undefined) {
    problems.push(
      `[server] tls_cert_file: missing, but ssl_settings = files needs it; ${SETTING_DEFINITIONS.tlsCertFile.fix}`,
    );
  }
  if (tlsKeyFile === undefined) {
    problems.push(
      `[server] tls_key_file: missing, but ssl_settings = files needs it; ${SETTING_DEFINITIONS.tlsKeyFile.fix}`,
    );
  }
  if (tlsCertFile === undefined || tlsKeyFile === undefined) return { tls: null, problems };
  return { tls: { mode: "files", certFile: tlsCertFile, keyFile: tlsKeyFile }, problems };
}
