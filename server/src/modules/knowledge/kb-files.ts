import type { Kysely } from "kysely";
import type { DB } from "../../db/schema";
import type { Principal } from "../../platform/auth/principal";
import type { FileStore } from "../../platform/files/file-store";
import { inertFileHeaders } from "../../platform/files/served-file";
import { NotFoundError, ValidationError } from "../../platform/errors";
import { cleanFilename, putAttachmentFile } from "../tickets/attachment-service";

/** An image or file for an article, uploaded by a staff member; linked to the article when it is saved. */
export async function storeKbFile(db: Kysely<DB>, files: FileStore, staffId: number, filename: string, data: Buffer) {
  if (data.length === 0) throw ValidationError([{ path: "file", code: "empty_file", message: "The file is empty." }]);
  const stored = await putAttachmentFile(files, data);
  const row = await db
    .insertInto("kb_files")
    .values({
      sha256: stored.sha256,
      size: stored.size,
      content_type: stored.contentType,
      filename: cleanFilename(filename),
      uploader_id: staffId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: row.id, filename: row.filename, contentType: row.content_type, size: row.size, url: `/api/v1/kb/files/${row.id}` };
}

/**
 * A knowledge file as an inert download: anyone may fetch the files of a published public article
 * (the help center shows its images); staff fetch the rest; an unlinked upload only its uploader.
 */
export async function openKbFile(db: Kysely<DB>, files: FileStore, principal: Principal | undefined, id: number) {
  const f = await db
    .selectFrom("kb_files as f")
    .leftJoin("kb_articles as a", "a.id", "f.article_id")
    .select(["f.sha256", "f.size", "f.content_type", "f.filename", "f.article_id", "f.uploader_id", "a.visibility", "a.archived_at"])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("kb_article_versions as v")
            .select("v.id")
            .whereRef("v.article_id", "=", "f.article_id")
            .where("v.status", "=", "published"),
        )
        .as("live"),
    )
    .where("f.id", "=", id)
    .executeTakeFirst();
  if (!f) throw NotFoundError("File");
  const isPublic = f.visibility === "public" && f.live && f.archived_at === null;
  const staff = principal?.kind === "staff";
  if (f.article_id === null ? !(staff && principal.id === f.uploader_id) : !(isPublic || staff)) throw NotFoundError("File");
  return { stream: files.open(f.sha256), headers: inertFileHeaders(f, isPublic ? "public" : "private") };
}
