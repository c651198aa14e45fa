import { readdirSync, readFileSync } from "node:fs";

// Nice values of this process's threads, read from /proc (Linux): field 19 of
// /proc/<pid>/task/<tid>/stat. For tests of the password-hash threads' priority.

/** The nice value of one thread of this process (the event loop's is the process id's). */
export function niceOf(tid: string | number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

/** The nice values of every thread of this process alive now. */
export function threadNiceValues(): number[] {
  return readdirSync(`/proc/${process.pid}/task`).flatMap((tid) => {
    try {
      return [niceOf(tid)];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}
