import { describe, expect, it } from 'vitest';
import { formatAppointmentTime, renderReminder, type ReminderFacts } from './reminder-templates';

const facts: ReminderFacts = {
  patientName: 'Ana Souza', procedureName: 'Limpeza de pele', professionalName: 'Dra. Helena Prado', clinicName: 'Clínica Bella Pele',
  clinicAddress: 'Rua Augusta, 100 - São Paulo/SP', clinicPhone: '+5511912345678',
  startsAt: new Date('2026-12-01T13:30:00Z'), timeZone: 'America/Sao_Paulo',
  confirmUrl: 'https://x/p/c/C', cancelUrl: 'https://x/p/c/X',
};

describe('reminder templates', () => {
  it('writes the time in the clinic zone', () => {
    expect(formatAppointmentTime(facts.startsAt, 'America/Sao_Paulo')).toEqual({ data: 'terça-feira, 01/12', hora: '10:30' });
    expect(formatAppointmentTime(facts.startsAt, 'America/Manaus').hora).toBe('09:30');
  });

  it('renders the 24h WhatsApp with name, time, place and both links', () => {
    const m = renderReminder('reminder_24h', 'whatsapp', facts)!;
    for (const s of ['Ana', 'terça-feira, 01/12', '10:30', 'Limpeza de pele', 'Dra. Helena Prado', 'Rua Augusta, 100', 'https://x/p/c/C', 'https://x/p/c/X']) {
      expect(m.body).toContain(s);
    }
    expect(m.body).not.toMatch(/\{[a-z_]+\}/);
  });

  it('renders the 2h backups and the location message', () => {
    expect(renderReminder('reminder_2h', 'email', facts)!.subject).toBe('Lembrete: Limpeza de pele hoje às 10:30');
    expect(renderReminder('reminder_2h', 'sms', facts)!.body).toContain('10:30');
    const loc = renderReminder('reminder_2h_location', 'whatsapp', facts)!.body;
    expect(loc).toContain('https://www.google.com/maps/search/?api=1&query=Rua%20Augusta');
    expect(loc).toContain('(11) 91234-5678');
    expect(renderReminder('reminder_24h', 'sms', facts)).toBeNull();
  });
});
