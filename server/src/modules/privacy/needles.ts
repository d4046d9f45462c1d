/**
 * The values an erasure removes and then searches for: a person's identifiers (name, email,
 * phone in its written forms, chat ids) and the lines they wrote. Short everyday lines ("好的",
 * "谢谢") are not searched for — they are no one's personal data and are in every ticket.
 */
export type NeedleKind = "name" | "email" | "phone" | "identity" | "text" | "file";
export type Needle = { kind: NeedleKind; value: string };

/** The shortest line of free text that counts as someone's own words. */
const MIN_TEXT_LENGTH = 8;
/** The shortest name searched for across the database (a one-character name would match everywhere). */
const MIN_NAME_LENGTH = 2;
const MAX_NEEDLES = 2000;

export const ERASED_TEXT = "[已删除]";

export class Needles {
  private readonly byValue = new Map<string, NeedleKind>();

  add(kind: NeedleKind, value: string | null | undefined) {
    const v = value?.trim();
    if (!v || this.byValue.size >= MAX_NEEDLES || this.byValue.has(v)) return;
    if (kind === "text" && v.length < MIN_TEXT_LENGTH) return;
    if (kind !== "text" && v.length < MIN_NAME_LENGTH) return;
    if (v === ERASED_TEXT) return;
    this.byValue.set(v, kind);
    this.pattern = undefined;
  }

  /** A phone number as people write it: as stored, digits only, and without the +86/0086 prefix. */
  addPhone(value: string) {
    const digits = value.replace(/\D/g, "");
    this.add("phone", value);
    this.add("phone", digits);
    this.add("phone", digits.replace(/^(0086|86)(?=1\d{10}$)/, ""));
  }

  /** Every line of a text worth searching for. */
  addText(text: string | null | undefined) {
    for (const line of (text ?? "").split(/\r?\n/)) this.add("text", line);
  }

  /** Values of a JSON document (custom fields): each string. */
  addValues(doc: unknown) {
    for (const s of stringsIn(doc)) this.add(s.length >= MIN_TEXT_LENGTH ? "text" : "identity", s);
  }

  get values(): string[] {
    // Longest first, so that a line is replaced whole before a name inside it.
    return [...this.byValue.keys()].sort((a, b) => b.length - a.length);
  }

  get size() {
    return this.byValue.size;
  }

  kinds(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of this.byValue.values()) out[k] = (out[k] ?? 0) + 1;
    return out;
  }

  private pattern: RegExp | undefined;

  /** The text with every value replaced by the erased marker (case-insensitive, like the search). */
  scrub(text: string): string {
    if (this.byValue.size === 0) return text;
    this.pattern ??= new RegExp(this.values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
    return text.replace(this.pattern, ERASED_TEXT);
  }

  /** A JSON document with every string (and key) scrubbed; null when nothing changed. */
  scrubJson(doc: unknown): unknown | null {
    let changed = false;
    const walk = (v: unknown): unknown => {
      if (typeof v === "string") {
        const s = this.scrub(v);
        if (s !== v) changed = true;
        return s;
      }
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === "object")
        return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [walk(k) as string, walk(x)]));
      return v;
    };
    const out = walk(doc);
    return changed ? out : null;
  }

  /** ILIKE patterns for a column's text: plain, or as the value appears inside JSON text. */
  patterns(json: boolean): string[] {
    return this.values.map((v) => `%${escapeLike(json ? JSON.stringify(v).slice(1, -1) : v)}%`);
  }
}

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

function stringsIn(doc: unknown): string[] {
  if (typeof doc === "string") return [doc];
  if (typeof doc === "number") return [];
  if (Array.isArray(doc)) return doc.flatMap(stringsIn);
  if (doc && typeof doc === "object") return Object.values(doc).flatMap(stringsIn);
  return [];
}
