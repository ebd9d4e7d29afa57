/**
 * Reading a file a client names, safely: only inside allowed folders, only regular
 * files, only up to a size, and with one answer for every path that cannot be read (so
 * the errors tell nothing about what exists outside the folders).
 */
import { constants } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** What a caller is told for any path it may not read, or that does not exist. */
export class FileRefused extends Error {
  constructor(message = "No such file in the allowed folders") {
    super(message);
    this.name = "FileRefused";
  }
}

/**
 * The bytes of `path` (absolute, or relative to the first root) when it is a regular
 * file of at most `maxBytes` inside one of `roots`, symbolic links resolved first.
 * Anything else throws FileRefused: the same message for a path that is missing,
 * outside the roots, a link leading out of them, a directory, a device or a pipe.
 * Only a file that is inside the roots but too large is named as such.
 */
export async function readConfinedFile(path: string, roots: readonly string[], maxBytes: number): Promise<Buffer> {
  const realRoots = (await Promise.all(roots.map((r) => realpath(r).catch(() => undefined)))).filter((r): r is string => r !== undefined);
  if (realRoots.length === 0 || path.includes("\0")) throw new FileRefused();
  let real: string;
  try {
    real = await realpath(resolve(realRoots[0]!, path));
  } catch {
    throw new FileRefused();
  }
  if (!realRoots.some((root) => isInside(root, real))) throw new FileRefused();
  // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: the path is already resolved.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW).catch(() => {
    throw new FileRefused();
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FileRefused();
    if (stat.size > maxBytes) throw new FileRefused(`The file is larger than ${maxBytes} bytes`);
    // The file may grow between stat and read: read at most one byte past the limit.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new FileRefused(`The file is larger than ${maxBytes} bytes`);
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** Whether `path` is `root` itself or below it (both already resolved by realpath). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}
