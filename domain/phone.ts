// Brazilian phone numbers: normalise whatever people type (or Twilio sends) to E.164, validate, format.

/** Area codes (DDD) in use in Brazil. */
export const BRAZILIAN_AREA_CODES: ReadonlySet<string> = new Set(
  (
    '11 12 13 14 15 16 17 18 19 21 22 24 27 28 31 32 33 34 35 37 38 41 42 43 44 45 46 47 48 49 ' +
    '51 53 54 55 61 62 63 64 65 66 67 68 69 71 73 74 75 77 79 81 82 83 84 85 86 87 88 89 91 92 93 94 95 96 97 98 99'
  ).split(' '),
);

export interface NormalizeOptions {
  /** DDD to assume when the input has only the 8 or 9 local digits (e.g. the clinic's, '11'). */
  defaultAreaCode?: string;
  /** Also accept non-Brazilian numbers written with + and a country code (returned as given). */
  international?: boolean;
}

/** DDD + subscriber digits (10 or 11) → the national number, or null when it cannot be Brazilian. */
function national(areaCode: string, subscriber: string): string | null {
  if (!BRAZILIAN_AREA_CODES.has(areaCode)) return null;
  if (subscriber.length === 9) return subscriber[0] === '9' ? areaCode + subscriber : null;
  if (subscriber.length === 8) {
    if (/^[2-5]/.test(subscriber)) return areaCode + subscriber; // landline
    // Mobiles written without the ninth digit (old format, and some WhatsApp ids): add it.
    if (/^[6-9]/.test(subscriber)) return areaCode + '9' + subscriber;
  }
  return null;
}

/**
 * '+55 (11) 98765-4321', '011 98765 4321', '5511987654321', 'whatsapp:+5511987654321',
 * '(11) 8765-4321' (old mobile) … → '+5511987654321'; null when not a valid Brazilian number.
 */
export function normalizePhone(input: string, opts: NormalizeOptions = {}): string | null {
  const raw = input.trim().replace(/^(whatsapp|tel|sms):/i, '').trim();
  if (!raw || !/^[+\d\s().\-]+$/.test(raw)) return null;
  let digits = raw.replace(/\D/g, '');
  let international = raw.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (international) {
    if (digits.startsWith('55')) {
      const n = digits.slice(2);
      const nat = n.length === 10 || n.length === 11 ? national(n.slice(0, 2), n.slice(2)) : null;
      return nat ? `+55${nat}` : null;
    }
    return opts.international && /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : null;
  }
  if (digits.startsWith('0')) {
    digits = digits.slice(1);
    // Long-distance carrier code (0 + 2-digit carrier + DDD + number).
    if (digits.length === 12 || (digits.length === 13 && !digits.startsWith('55'))) digits = digits.slice(2);
  }
  if ((digits.length === 12 || digits.length === 13) && digits.startsWith('55')) digits = digits.slice(2);
  if ((digits.length === 8 || digits.length === 9) && opts.defaultAreaCode) digits = opts.defaultAreaCode + digits;
  if (digits.length !== 10 && digits.length !== 11) return null;
  const nat = national(digits.slice(0, 2), digits.slice(2));
  return nat ? `+55${nat}` : null;
}

export function isValidPhone(input: string, opts: NormalizeOptions = {}): boolean {
  return normalizePhone(input, opts) !== null;
}

/** True for a Brazilian mobile in E.164 (+55 DDD 9XXXX-XXXX): one that can have WhatsApp/SMS. */
export function isMobilePhone(e164: string): boolean {
  return /^\+55\d{2}9\d{8}$/.test(e164);
}

/** '+5511987654321' → '(11) 98765-4321'; '+551134567890' → '(11) 3456-7890'; others unchanged. */
export function formatPhone(e164: string): string {
  const m = /^\+55(\d{2})(\d{4,5})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

/** The DDD of a Brazilian E.164 number, or null. */
export function areaCodeOf(e164: string): string | null {
  return /^\+55(\d{2})\d{8,9}$/.exec(e164)?.[1] ?? null;
}
