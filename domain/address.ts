// Brazilian addresses: CEP (8 digits) and the 27 federative units (UF).
import { liteText } from './text';

/** The 26 states and the Federal District, by their two-letter code. */
export const UFS = [
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA',
  'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
] as const;
export type Uf = (typeof UFS)[number];

export const UF_NAMES: Readonly<Record<Uf, string>> = {
  AC: 'Acre', AL: 'Alagoas', AP: 'Amapá', AM: 'Amazonas', BA: 'Bahia', CE: 'Ceará', DF: 'Distrito Federal',
  ES: 'Espírito Santo', GO: 'Goiás', MA: 'Maranhão', MT: 'Mato Grosso', MS: 'Mato Grosso do Sul', MG: 'Minas Gerais',
  PA: 'Pará', PB: 'Paraíba', PR: 'Paraná', PE: 'Pernambuco', PI: 'Piauí', RJ: 'Rio de Janeiro', RN: 'Rio Grande do Norte',
  RS: 'Rio Grande do Sul', RO: 'Rondônia', RR: 'Roraima', SC: 'Santa Catarina', SP: 'São Paulo', SE: 'Sergipe', TO: 'Tocantins',
};

const fold = liteText;
const byName = new Map<string, Uf>(UFS.map((uf) => [fold(UF_NAMES[uf]), uf]));

/** 'sp', ' SP ', 'São Paulo', 'sao paulo' → 'SP'; null when it is not a Brazilian UF. */
export function normalizeUf(input: string): Uf | null {
  const code = input.trim().toUpperCase();
  if ((UFS as readonly string[]).includes(code)) return code as Uf;
  return byName.get(fold(input)) ?? null;
}

export function isValidUf(input: string): boolean {
  return normalizeUf(input) !== null;
}

/** '01310-100', '01310100', '01.310-100' → '01310100'; null unless exactly 8 digits (all zeros refused). */
export function normalizeCep(input: string): string | null {
  const raw = input.trim();
  if (!/^[\d.\-\s]+$/.test(raw)) return null;
  const digits = raw.replace(/\D/g, '');
  if (digits.length !== 8 || digits === '00000000') return null;
  return digits;
}

export function isValidCep(input: string): boolean {
  return normalizeCep(input) !== null;
}

/** '01310100' → '01310-100'. Throws on anything that is not a valid CEP. */
export function formatCep(input: string): string {
  const d = normalizeCep(input);
  if (!d) throw new Error('CEP must have 8 digits');
  return `${d.slice(0, 5)}-${d.slice(5)}`;
}
