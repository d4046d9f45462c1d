import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Content-addressed file storage under DATA_DIR/files: a file's name is its SHA-256, so the same
 * upload is stored once and a stored file never changes.
 */
export class FileStore {
  constructor(private readonly root: string) {}

  private pathFor(sha256: string) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("bad sha256");
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(data: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash("sha256").update(data).digest("hex");
    const target = this.pathFor(sha256);
    if (!fs.existsSync(target)) {
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
      await fs.promises.writeFile(tmp, data, { flush: true });
      await fs.promises.rename(tmp, target);
    }
    return { sha256, size: data.length };
  }

  open(sha256: string) {
    return fs.createReadStream(this.pathFor(sha256));
  }

  exists(sha256: string) {
    return fs.existsSync(this.pathFor(sha256));
  }

  /** Removes a stored file (callers first make sure nothing refers to it any more). */
  async remove(sha256: string) {
    await fs.promises.rm(this.pathFor(sha256), { force: true });
  }

  /** Every stored file's path, for a byte-by-byte search. */
  async *paths(): AsyncGenerator<string> {
    if (!fs.existsSync(this.root)) return;
    for (const entry of await fs.promises.readdir(this.root, { recursive: true, withFileTypes: true }))
      if (entry.isFile() && /^[0-9a-f]{64}$/.test(entry.name)) yield path.join(entry.parentPath, entry.name);
  }
}
