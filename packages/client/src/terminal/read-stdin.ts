/** Reads all of stdin (bounded: a password or token is small). */
export async function readAllStdin(maxBytes = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) throw new Error(`standard input is larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Removes one trailing line break, as `echo pw | cmd --password-stdin` adds one. */
export function stripOneTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}
