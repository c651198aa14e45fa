export { adhocCertificateNames, generateAdhocCertificate } from "./adhoc-certificate.js";
export { loadTlsMaterial } from "./load-tls-material.js";
export { readTlsFiles } from "./read-tls-files.js";
export { TlsError, type TlsErrorCode } from "./tls-error.js";
export { describeTlsMaterial, type TlsMaterial } from "./tls-material.js";
export {
  createTlsReloader,
  type TlsReloader,
  type TlsReloadOutcome,
  warnIfExpiring,
} from "./tls-reloader.js";
