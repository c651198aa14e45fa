import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { TlsError } from "./tls-error.js";
import { leafCertificateFacts, type TlsMaterial } from "./tls-material.js";

// `ssl_settings = files`: the certificate (and chain) and its key from PEM files, checked before
// they are used so that a wrong file is a clear line at start, or a logged error on reload (the
// certificate in use stays), never a handshake that fails for every client.

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export async function readTlsFiles(certFile: string, keyFile: string): Promise<TlsMaterial> {
  const [certText, keyText] = await Promise.all([
    readPem(certFile, "[server] tls_cert_file"),
    readPem(keyFile, "[server] tls_key_file"),
  ]);

  const blocks = certText.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new TlsError(
      "TLS_CERT_MALFORMED",
      `[server] tls_cert_file ${certFile}: holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the server certificate in PEM, followed by its intermediate certificates`,
      certFile,
    );
  }
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(blocks[0] as string);
    for (const block of blocks.slice(1)) new X509Certificate(block);
  } catch (error) {
    throw new TlsError(
      "TLS_CERT_MALFORMED",
      `[server] tls_cert_file ${certFile}: a certificate in it cannot be read (${(error as Error).message}); give PEM certificates`,
      certFile,
    );
  }

  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(keyText)) {
    throw new TlsError(
      "TLS_KEY_MALFORMED",
      `[server] tls_key_file ${keyFile}: the key is encrypted with a passphrase; give it unencrypted (e.g. openssl pkey -in ${keyFile} -out key.pem) and make the file readable by the server only`,
      keyFile,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyText);
  } catch (error) {
    throw new TlsError(
      "TLS_KEY_MALFORMED",
      `[server] tls_key_file ${keyFile}: holds no readable private key (${(error as Error).message}); give the certificate's private key in PEM`,
      keyFile,
    );
  }
  if (!leaf.checkPrivateKey(key)) {
    throw new TlsError(
      "TLS_KEY_MISMATCH",
      `[server] tls_key_file ${keyFile}: is not the private key of the certificate in ${certFile} (fingerprint ${leaf.fingerprint256}); give the key the certificate was made for`,
      keyFile,
    );
  }
  return { cert: certText, key: keyText, source: certFile, ...leafCertificateFacts(leaf) };
}

async function readPem(file: string, setting: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "does not exist"
        : code === "EACCES"
          ? "cannot be read by the server (permission denied)"
          : code === "EISDIR"
            ? "is a directory"
            : `cannot be read (${code ?? (error as Error).message})`;
    throw new TlsError("TLS_FILE_UNREADABLE", `${setting} ${file}: ${why}`, file);
  }
}
