/**
 * A lock for one S3 object on servers that ignore conditional writes, made of plain PUT,
 * LIST and DELETE (strongly consistent on S3 and on the servers this is for).
 *
 * Each writer PUTs its own lock object, `<key>.lazyscribe-lock.<ticket>`, then LISTs the
 * lock objects of the key. It holds the lock when its object is the only live one in a listing.
 * Two writers can never both hold it: of two such listings, the later one was made after the
 * other writer's lock object was written (that object was written before its own listing, and
 * that listing did not show the later writer's object), so it shows both. When others are
 * listed, the writer with the oldest ticket keeps its object and lists again; the others
 * delete theirs and try again after a random pause, so that the oldest comes through.
 *
 * A holder rewrites its object every third of the lease; an object older than the lease
 * (measured on the server's clock: its Last-Modified against the newest one listed) belongs to
 * a process that died, and is deleted by the next writer. A holder that could not refresh in
 * time stops before writing (its lock may have been taken over); as with any lease, a holder
 * paused for longer than the lease between that check and its write can still overwrite a
 * newer save.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { StorageError } from "./errors.js";

/** One lock object as a LIST shows it. */
export interface ListedObject {
  readonly key: string;
  readonly lastModified: Date;
}

/** The object operations the lock is made of (keys are inside one bucket). */
export interface LockObjects {
  put(key: string, body: string): Promise<void>;
  list(prefix: string): Promise<ListedObject[]>;
  remove(key: string): Promise<void>;
}

/** Timing of the lock. */
export interface LeaseOptions {
  /** How long a lock object may go without being refreshed before it counts as abandoned. */
  readonly leaseMs: number;
  /** How long a writer waits for the lock before it gives up. */
  readonly waitMs: number;
}

/** The prefix of the lock objects of `key`. */
export function lockPrefix(key: string): string {
  return `${key}.lazyscribe-lock.`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` while holding the lock of `key`. `work` receives `stillHeld`, to call right
 * before its write: it throws when the lease may have run out.
 *
 * @throws StorageError (code `ELOCKED`) when the lock could not be had within `waitMs`, or
 *   (code `ECOMPROMISED`) from `stillHeld`; errors of the object operations are passed on.
 */
export async function withObjectLock<T>(
  objects: LockObjects,
  location: string,
  key: string,
  lease: LeaseOptions,
  work: (stillHeld: () => void) => Promise<T>,
): Promise<T> {
  const prefix = lockPrefix(key);
  // Tickets sort by the time they were taken (then at random), so the oldest waiter goes first.
  const ticket = `${Date.now().toString(36).padStart(9, "0")}-${randomBytes(6).toString("hex")}`;
  const mine = `${prefix}${ticket}`;
  const body = JSON.stringify({ host: hostname(), pid: process.pid, ticket });
  const deadline = performance.now() + lease.waitMs;
  let refreshedAt = 0;
  const refresh = async () => {
    const started = performance.now();
    await objects.put(mine, body);
    refreshedAt = Math.max(refreshedAt, started);
  };

  for (let attempt = 0; ; attempt++) {
    await refresh();
    const holders = await waitInLine(
      objects,
      prefix,
      mine,
      lease,
      deadline,
      refresh,
      () => refreshedAt,
    );
    if (holders === undefined) break;
    await objects.remove(mine).catch(() => undefined);
    if (performance.now() > deadline) {
      throw new StorageError(
        `writing ${location} failed: another process held its lock for more than ${lease.waitMs} ms (lock objects ${holders.join(", ")}); save again later`,
        { code: "ELOCKED" },
      );
    }
    await sleep(Math.random() * Math.min(500, 10 * 2 ** Math.min(attempt, 6)));
  }

  let refreshing: Promise<void> = Promise.resolve();
  let failure: unknown;
  const timer = setInterval(() => {
    refreshing = refreshing.then(refresh).catch((error) => {
      failure ??= error;
    });
  }, lease.leaseMs / 3);
  const stillHeld = () => {
    const age = performance.now() - refreshedAt;
    // A margin of a tenth of the lease for the write that follows to reach the server.
    if (age > lease.leaseMs * 0.9) {
      const why = failure === undefined ? "" : ` (${(failure as Error)?.message ?? failure})`;
      throw new StorageError(
        `writing ${location} failed: its lock was not refreshed for ${Math.round(age)} ms, more than the lease allows${why}, so another process may have taken it over; nothing was written, save again`,
        { cause: failure, code: "ECOMPROMISED" },
      );
    }
  };
  try {
    return await work(stillHeld);
  } finally {
    clearInterval(timer);
    await refreshing;
    await objects.remove(mine).catch(() => undefined);
  }
}

/**
 * Lists the lock objects until this writer holds the lock (`undefined`) or must step back:
 * then the keys of the others (a younger writer steps back at once; the oldest waits in line
 * until the deadline).
 */
async function waitInLine(
  objects: LockObjects,
  prefix: string,
  mine: string,
  lease: LeaseOptions,
  deadline: number,
  refresh: () => Promise<void>,
  refreshedAt: () => number,
): Promise<string[] | undefined> {
  for (;;) {
    const listed = await objects.list(prefix);
    const own = listed.find((o) => o.key === mine);
    // Deleted by another writer that took it for abandoned: step back and write it again.
    if (own === undefined) return [];
    const newest = Math.max(...listed.map((o) => o.lastModified.getTime()));
    const others: string[] = [];
    for (const o of listed) {
      if (o.key === mine) continue;
      if (o.lastModified.getTime() < newest - lease.leaseMs) {
        await objects.remove(o.key).catch(() => undefined);
      } else {
        others.push(o.key);
      }
    }
    if (others.length === 0) return undefined;
    others.sort();
    if ((others[0] as string) < mine || performance.now() > deadline) return others;
    await sleep(5 + Math.random() * 20);
    if (performance.now() - refreshedAt() > lease.leaseMs / 3) await refresh();
  }
}
