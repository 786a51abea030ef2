// Before/after photos: which image format the bytes are (by their magic numbers, never the declared type
// or the file name), and the publicity consent rules (CFM Resolução 2.336/2023: explicit, per photo,
// revocable; "identifiable" only on top of consent). Pure: callers pass `now`.

export type PhotoFormat = 'jpeg' | 'png' | 'webp' | 'heic';
export type PhotoKind = 'antes' | 'depois';
export const PHOTO_KINDS: readonly PhotoKind[] = ['antes', 'depois'];

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/** HEIF brands of HEVC-coded images (iPhone photos are `heic`); `mif1`/`msf1` alone are HEIF of any codec. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** The image format the bytes start with, or null (text, PDF, AVIF, GIF, a truncated file…). */
export function sniffPhotoFormat(b: Uint8Array): PhotoFormat | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  // ISO BMFF: [size][ftyp][major brand][minor version][compatible brands…]
  if (b.length >= 16 && ascii(b, 4, 8) === 'ftyp') {
    const size = ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
    const end = Math.min(size >= 16 ? size : 16, b.length, 256);
    const brands = [ascii(b, 8, 12)];
    for (let i = 16; i + 4 <= end; i += 4) brands.push(ascii(b, i, i + 4));
    if (brands.some((x) => HEIC_BRANDS.has(x))) return 'heic';
    if (brands.some((x) => AVIF_BRANDS.has(x))) return null;
    if (brands.some((x) => x === 'mif1' || x === 'msf1')) return 'heic';
  }
  return null;
}

export interface PhotoConsent {
  publicityConsent: boolean;
  identifiable: boolean;
  consentAt: Date | null;
  consentRevokedAt: Date | null;
  consentSource: string | null;
}

export const NO_CONSENT: PhotoConsent = { publicityConsent: false, identifiable: false, consentAt: null, consentRevokedAt: null, consentSource: null };

export interface ConsentRequest {
  publicityConsent: boolean;
  /** May show the patient's face or name; only with publicity consent. Default false. */
  identifiable?: boolean;
  /** How it was given: painel, termo assinado, WhatsApp… (default "painel"). */
  source?: string | null;
}

export type ConsentChange = { ok: true; consent: PhotoConsent } | { ok: false; field: 'identifiable'; message: string };

/**
 * The consent after a request. Granting records when and how (again after a revocation: a new, explicit
 * consent); withdrawing clears both flags and records the revocation (once given; a photo never consented
 * stays as it was).
 */
export function changeConsent(current: PhotoConsent, req: ConsentRequest, now: Date): ConsentChange {
  if (req.identifiable && !req.publicityConsent) {
    return { ok: false, field: 'identifiable', message: 'A foto só pode identificar o paciente com o consentimento de divulgação.' };
  }
  if (req.publicityConsent) {
    const source = req.source?.trim() || 'painel';
    return { ok: true, consent: { publicityConsent: true, identifiable: req.identifiable ?? false, consentAt: now, consentRevokedAt: null, consentSource: source } };
  }
  if (!current.publicityConsent) return { ok: true, consent: { ...current, identifiable: false } };
  return { ok: true, consent: { ...current, publicityConsent: false, identifiable: false, consentRevokedAt: now } };
}

/** May this photo go into a message now? Consented, not revoked, not deleted. */
export function usableInMessages(p: Pick<PhotoConsent, 'publicityConsent' | 'consentRevokedAt'> & { deletedAt: Date | null }): boolean {
  return p.publicityConsent && !p.consentRevokedAt && !p.deletedAt;
}
