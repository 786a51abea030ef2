// Default pt-BR texts of the appointment reminders, per step and channel, and their rendering.
// Pure: the caller passes the appointment's facts; dates are written in the clinic's time zone.

export type ReminderTemplateKey = 'reminder_24h' | 'reminder_2h' | 'reminder_2h_location';
export type ReminderChannel = 'whatsapp' | 'sms' | 'email';

export interface ReminderTemplate {
  subject?: string;
  body: string;
}

/** Variables: {paciente} {data} {hora} {procedimento} {profissional} {endereco} {link_confirmar} {link_cancelar} {mapa} {telefone_clinica} {clinica}. */
export const DEFAULT_REMINDER_TEMPLATES: Readonly<Record<ReminderTemplateKey, Partial<Record<ReminderChannel, ReminderTemplate>>>> = {
  reminder_24h: {
    whatsapp: {
      body:
        'Olá, {paciente}! 😊 Passando para lembrar do seu horário na {clinica}:\n\n' +
        '📅 {data} às {hora}\n💆 {procedimento} com {profissional}\n📍 {endereco}\n\n' +
        'Responda *1* para confirmar ou *2* para cancelar.\n' +
        'Confirmar presença: {link_confirmar}\nCancelar: {link_cancelar}',
    },
  },
  reminder_2h: {
    sms: {
      body: '{clinica}: {paciente}, seu horário de {procedimento} com {profissional} é hoje, {data}, às {hora}. Endereço: {endereco}. Confirmar: {link_confirmar} Cancelar: {link_cancelar}',
    },
    email: {
      subject: 'Lembrete: {procedimento} hoje às {hora}',
      body:
        'Olá, {paciente}!\n\nLembramos que seu horário na {clinica} é hoje:\n\n' +
        'Data: {data}\nHorário: {hora}\nProcedimento: {procedimento}\nProfissional: {profissional}\nEndereço: {endereco}\nComo chegar: {mapa}\n\n' +
        'Confirmar presença: {link_confirmar}\nPrecisa cancelar? {link_cancelar}\n\nQualquer dúvida, fale com a gente: {telefone_clinica}.\n\n{clinica}',
    },
  },
  reminder_2h_location: {
    whatsapp: {
      body:
        '{paciente}, te esperamos hoje às {hora} para {procedimento} com {profissional}. 📍 {endereco}\n' +
        'Como chegar: {mapa}\nQualquer imprevisto, ligue para {telefone_clinica}.\n' +
        'Confirmar presença: {link_confirmar}',
    },
  },
};

export interface ReminderFacts {
  patientName: string;
  procedureName: string;
  professionalName: string;
  clinicName: string;
  clinicAddress: string | null;
  clinicPhone: string | null;
  startsAt: Date;
  timeZone: string;
  confirmUrl: string;
  cancelUrl: string;
}

/** "terça-feira, 01/12" and "14:30" in the clinic's zone. */
export function formatAppointmentTime(startsAt: Date, timeZone: string): { data: string; hora: string } {
  const data = new Intl.DateTimeFormat('pt-BR', { timeZone, weekday: 'long', day: '2-digit', month: '2-digit' }).format(startsAt);
  const hora = new Intl.DateTimeFormat('pt-BR', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(startsAt);
  return { data, hora };
}

export function mapUrl(address: string): string {
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(address)}`;
}

/** Only the first name: "Ana" for "Ana Souza". */
const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** +55 11 98765-4321 from +5511987654321 (other numbers as given). */
export function formatPhoneBr(e164: string): string {
  const m = /^\+55(\d{2})(\d{4,5})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

export function reminderVariables(f: ReminderFacts): Record<string, string> {
  const { data, hora } = formatAppointmentTime(f.startsAt, f.timeZone);
  const address = f.clinicAddress?.trim() || 'endereço da clínica';
  return {
    paciente: firstName(f.patientName),
    data,
    hora,
    procedimento: f.procedureName,
    profissional: f.professionalName,
    clinica: f.clinicName,
    endereco: address,
    mapa: f.clinicAddress?.trim() ? mapUrl(f.clinicAddress.trim()) : '',
    telefone_clinica: f.clinicPhone ? formatPhoneBr(f.clinicPhone) : 'a recepção',
    link_confirmar: f.confirmUrl,
    link_cancelar: f.cancelUrl,
  };
}

export function fillTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, key: string) => (key in vars ? vars[key]! : whole));
}

/** The rendered message, or null when the step has no template for that channel. */
export function renderReminder(key: ReminderTemplateKey, channel: ReminderChannel, facts: ReminderFacts): { subject?: string; body: string; variables: Record<string, string> } | null {
  const template = DEFAULT_REMINDER_TEMPLATES[key][channel];
  if (!template) return null;
  const variables = reminderVariables(facts);
  return {
    ...(template.subject ? { subject: fillTemplate(template.subject, variables) } : {}),
    body: fillTemplate(template.body, variables),
    variables,
  };
}
