import type { X509Certificate } from "node:crypto";

/** A certificate (PEM, chain included) with its private key, and what the logs say about it. */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** "adhoc" or the certificate file's path. */
  readonly source: string;
  /** SHA-256 fingerprint of the leaf certificate, AA:BB:… (as openssl x509 -fingerprint prints it). */
  readonly fingerprint256: string;
  readonly subject: string;
  readonly subjectAltName: string | undefined;
  readonly validTo: Date;
}

/** The fields the start-up and reload log lines show. */
export function describeTlsMaterial(material: TlsMaterial) {
  return {
    certificate: material.source,
    fingerprint256: material.fingerprint256,
    subject: material.subject.replace(/\n/g, ", "),
    ...(material.subjectAltName ? { subjectAltName: material.subjectAltName } : {}),
    validTo: material.validTo.toISOString(),
  };
}

/** The leaf certificate of a PEM chain (the first one). */
export function leafCertificateFacts(
  leaf: X509Certificate,
): Pick<TlsMaterial, "fingerprint256" | "subject" | "subjectAltName" | "validTo"> {
  return {
    fingerprint256: leaf.fingerprint256,
    subject: leaf.subject,
    subjectAltName: leaf.subjectAltName,
    validTo: new Date(leaf.validTo),
  };
}
