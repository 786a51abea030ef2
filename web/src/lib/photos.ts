// Before/after photos in the dashboard: labels, the upload limit, and where the browser loads a photo from.

export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;

export const PHOTO_KIND_LABELS: Record<string, string> = { antes: 'Antes', depois: 'Depois' };

/** How consent was given, as staff pick it (stored as the photo's consentSource). */
export const CONSENT_SOURCES = [
  { value: 'termo assinado', label: 'Termo assinado' },
  { value: 'painel', label: 'Registrado no painel' },
  { value: 'whatsapp', label: 'Por WhatsApp' },
] as const;

/**
 * The local storage's signed file URLs point at the API (/api/files/photos/…), which a browser may not
 * reach (docker-compose keeps it on the internal network): they go through this web server's proxy at
 * the same path. S3's presigned URLs are left as they are.
 */
export function photoUrlForBrowser(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname.startsWith('/api/files/photos/') ? `${u.pathname}${u.search}` : url;
  } catch {
    return url;
  }
}
