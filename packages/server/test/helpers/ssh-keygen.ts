import { execFileSync } from "node:child_process";

/** A PKCS#1 PEM RSA key pair as operators make it (the original's id_rsa): `file` and `file.pub`. */
export function sshKeygenRsa(file: string, bits = 2048): void {
  execFileSync("ssh-keygen", [
    "-q",
    "-m",
    "PEM",
    "-t",
    "rsa",
    "-b",
    String(bits),
    "-N",
    "",
    "-f",
    file,
  ]);
}
