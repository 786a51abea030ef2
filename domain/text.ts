// The one text normaliser: how patients' and staff's words are compared, whatever their accents, case
// and punctuation ("Não, vou poder!" ~ "nao vou poder", "Botóx!!" ~ "botox").

/** Lower case without accents (combining marks removed): "Garantía" → "garantia"; punctuation kept. */
export function foldAccents(s: string): string {
  return String(s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Folded, punctuation and emoji → space, spaces collapsed: "Olá, Botóx!!" → "ola botox". */
export function normalizeText(s: string): string {
  return foldAccents(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Folded with punctuation kept and spaces collapsed (times "15:30", dates "12/07", phones). */
export function liteText(s: string): string {
  return foldAccents(s).replace(/\s+/g, ' ').trim();
}
