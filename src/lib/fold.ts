/**
 * Text folded for comparison that ignores case and accents: NFD-normalised, combining marks removed,
 * lower-cased ("Élan" → "elan"). The same folding as the text index of the embedded database
 * (src/db/embedded/query/text.ts keeps its own copy: it imports nothing from the shop).
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}
