import iconv from "iconv-lite";

let common: Set<string> | undefined;

/**
 * The characters Chinese text is mostly made of: GB2312's first level (the 3,755 most used
 * simplified characters) and Big5's frequent block (the 5,401 common traditional ones), decoded
 * from their code ranges. Text decoded with the wrong charset is made of rare characters instead.
 */
function commonCharacters() {
  if (common) return common;
  const set = new Set<string>();
  for (let hi = 0xb0; hi <= 0xd7; hi++)
    for (let lo = 0xa1; lo <= 0xfe; lo++) for (const ch of iconv.decode(Buffer.from([hi, lo]), "gb2312")) set.add(ch);
  for (let hi = 0xa4; hi <= 0xc6; hi++)
    for (const lo of [...Array.from({ length: 63 }, (_, i) => 0x40 + i), ...Array.from({ length: 94 }, (_, i) => 0xa1 + i)])
      for (const ch of iconv.decode(Buffer.from([hi, lo]), "big5")) set.add(ch);
  set.delete("\uFFFD");
  common = set;
  return set;
}

const HAN = /\p{Script=Han}/u;

/**
 * How much a decoding reads like real text: common Chinese characters count for it; rare ones
 * and replacement characters (bytes the charset could not decode) against it.
 */
export function plausibility(text: string) {
  const set = commonCharacters();
  let score = 0;
  let han = 0;
  let rare = 0;
  for (const ch of text) {
    if (ch === "\uFFFD") score -= 3;
    else if (HAN.test(ch)) {
      han++;
      if (set.has(ch)) score += 1;
      else {
        rare++;
        score -= 1;
      }
    }
  }
  return { score, suspicious: rare > 0 && rare / han > 0.25 };
}
