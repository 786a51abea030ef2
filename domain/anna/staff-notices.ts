// What the clinic's staff reads about a lead (the dashboard notification and its Slack copy), in pt-BR.
// Patients never see these: Anna's own words are in replies.ts.

/** The lead waits for a person: who, what for, how well it scored, and whether it asked for a human. */
export function leadNeedsStaffNotice(n: { who: string; procedureName?: string | null; score: number | null; askedForHuman: boolean }): string {
  return `Lead ${n.who}${n.procedureName ? ` (${n.procedureName})` : ''} aguarda a equipe no WhatsApp: pontuação ${n.score ?? '—'}${n.askedForHuman ? ', pediu atendimento humano' : ''}.`;
}

/** Anna booked the lead. */
export function leadConvertedNotice(n: { who: string; procedureName: string; slotLabel: string; depositPaid: boolean }): string {
  return `Anna agendou ${n.who}: ${n.procedureName}, ${n.slotLabel}${n.depositPaid ? ' (sinal pago)' : ''}.`;
}
