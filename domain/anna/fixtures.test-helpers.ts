// Shared fixtures for the Anna engine tests (not a test file itself).
import { emptyQualification, type AnalysisContext, type ClinicKnowledge, type KnownProcedure, type OfferedSlot } from './types';

export const procedures: KnownProcedure[] = [
  { id: 'p-botox', name: 'Toxina Botulínica (Botox)', category: 'facial', durationMinutes: 30, priceCents: 120000, depositCents: 20000, description: 'Aplicação de toxina botulínica para suavizar linhas de expressão' },
  { id: 'p-limpeza', name: 'Limpeza de Pele Profunda', category: 'facial', durationMinutes: 90, priceCents: 18000, depositCents: 0, description: null },
  { id: 'p-labial', name: 'Preenchimento Labial', category: 'facial', durationMinutes: 45, priceCents: null, depositCents: 30000, description: 'Ácido hialurônico nos lábios' },
  { id: 'p-peeling', name: 'Peeling Químico', category: 'facial', durationMinutes: 40, priceCents: 25050, depositCents: 0, description: null },
  { id: 'p-drenagem', name: 'Drenagem Linfática', category: 'corporal', durationMinutes: 60, priceCents: 15000, depositCents: 0, description: null },
  { id: 'p-bio', name: 'Bioestimulador de Colágeno', category: 'facial', durationMinutes: 60, priceCents: 250000, depositCents: 50000, description: null },
];

export const knowledge = (over: Partial<ClinicKnowledge> = {}): ClinicKnowledge => ({
  clinicId: 'clinic-1',
  clinicName: 'Clínica Bella Pele',
  timeZone: 'America/Sao_Paulo',
  procedures,
  address: 'Av. Paulista, 1000, sala 12, Bela Vista, São Paulo/SP',
  mapsUrl: 'https://maps.example.com/bella',
  openingHours: { 0: [], 1: ['09:00-18:00'], 2: ['09:00-18:00'], 3: ['09:00-18:00'], 4: ['09:00-18:00'], 5: ['09:00-18:00'], 6: ['09:00-13:00'] },
  phone: '+551130000000',
  ...over,
});

/** Wednesday 2026-12-02 12:00 in São Paulo. */
export const WED = '2026-12-02T15:00:00Z';

export const ctx = (over: Partial<AnalysisContext> = {}): AnalysisContext => ({
  now: WED,
  stage: 'qualifying',
  lastQuestion: null,
  knowledge: knowledge(),
  offeredSlots: [],
  known: emptyQualification(),
  ...over,
});

/** Offered while choosing: Thu 03/12 10:00 (Ana), Fri 04/12 14:30 (Bia), Mon 07/12 09:00 (Ana) — São Paulo (UTC−3). */
export const slots: OfferedSlot[] = [
  { professionalId: 'pro-ana', professionalName: 'Dra. Ana', startsAt: '2026-12-03T13:00:00Z', label: 'qui 03/12 às 10:00 com Dra. Ana' },
  { professionalId: 'pro-bia', professionalName: 'Dra. Bia', startsAt: '2026-12-04T17:30:00Z', label: 'sex 04/12 às 14:30 com Dra. Bia' },
  { professionalId: 'pro-ana', professionalName: 'Dra. Ana', startsAt: '2026-12-07T12:00:00Z', label: 'seg 07/12 às 09:00 com Dra. Ana' },
];
