import type { Settings } from "../config/index.js";
import { adhocCertificateNames, generateAdhocCertificate } from "./adhoc-certificate.js";
import { readTlsFiles } from "./read-tls-files.js";
import type { TlsMaterial } from "./tls-material.js";

/** The certificate the server starts with, or null for plain HTTP. Throws TlsError. */
export async function loadTlsMaterial(server: Settings["server"]): Promise<TlsMaterial | null> {
  const { tls } = server;
  if (tls === null) return null;
  if (tls.mode === "files") return readTlsFiles(tls.certFile, tls.keyFile);
  return generateAdhocCertificate({
    names: adhocCertificateNames({ publicUrl: server.publicUrl, host: server.host }),
  });
}
