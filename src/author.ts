/**
 * The default author of experiments and projects: the OS user name, as Python's
 * `getpass.getuser()` finds it.
 *
 * @module
 */
import { userInfo } from "node:os";

let cached: string | undefined;

/** The OS user name (`LOGNAME`, `USER`, `LNAME`, `USERNAME`, then the password database). */
export function defaultAuthor(): string {
  if (cached !== undefined) return cached;
  for (const name of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    const value = process.env[name];
    if (value) {
      cached = value;
      return value;
    }
  }
  try {
    cached = userInfo().username;
  } catch {
    cached = "unknown";
  }
  return cached;
}
