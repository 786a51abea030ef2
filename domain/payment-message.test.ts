import { describe, expect, it } from 'vitest';
import { formatDeadline, paymentLinkMessage, paymentLinkRecipient } from './payment-message';

const facts = {
  patientName: '  Maria  Souza Lima ', clinicName: 'Clínica Bella', description: 'Sinal do agendamento', amountCents: 123456,
  url: 'https://tigre.example/p/pagar/abc', expiresAt: new Date('2026-12-02T17:30:00Z'), timeZone: 'America/Sao_Paulo',
};

describe('paymentLinkMessage', () => {
  it('greets by first name and carries description, amount in R$, link and the local deadline', () => {
    const m = paymentLinkMessage(facts);
    expect(m.body).toBe('Olá, Maria! Segue o link da Clínica Bella para pagamento de Sinal do agendamento — R$ 1.234,56: https://tigre.example/p/pagar/abc (válido até 02/12 às 14:30)');
    expect(m.subject).toBe('Link de pagamento: Clínica Bella');
    expect(m.variables).toMatchObject({ paciente: 'Maria', valor: 'R$ 1.234,56', link: facts.url, validade: '02/12 às 14:30' });
  });

  it('shows the deadline in the clinic time zone, including across midnight', () => {
    expect(paymentLinkMessage({ ...facts, timeZone: 'America/Manaus' }).body).toContain('(válido até 02/12 às 13:30)');
    expect(formatDeadline(new Date('2026-12-02T02:05:00Z'), 'America/Sao_Paulo')).toBe('01/12 às 23:05');
    expect(formatDeadline(new Date('2026-12-02T02:05:00Z'), 'UTC')).toBe('02/12 às 02:05');
  });

  it('falls back to "Pagamento" without a description and to a bare greeting without a name', () => {
    const m = paymentLinkMessage({ ...facts, patientName: ' ', description: null, amountCents: 5 });
    expect(m.body).toMatch(/^Olá! Segue o link da Clínica Bella para pagamento de Pagamento — R\$ 0,05: /);
  });
});

describe('paymentLinkRecipient', () => {
  const contact = { whatsapp: '+5511987654321', phone: '+5511333344444', email: 'maria@example.com' };
  it('picks the address of each channel, with the other phone as fallback', () => {
    expect(paymentLinkRecipient('whatsapp', contact)).toBe('+5511987654321');
    expect(paymentLinkRecipient('sms', contact)).toBe('+5511333344444');
    expect(paymentLinkRecipient('email', contact)).toBe('maria@example.com');
    expect(paymentLinkRecipient('whatsapp', { ...contact, whatsapp: null })).toBe('+5511333344444');
    expect(paymentLinkRecipient('sms', { ...contact, phone: ' ' })).toBe('+5511987654321');
  });
  it('is null when the patient has no address for the channel', () => {
    expect(paymentLinkRecipient('email', { ...contact, email: null })).toBeNull();
    expect(paymentLinkRecipient('whatsapp', { whatsapp: null, phone: null, email: 'x@y.z' })).toBeNull();
    expect(paymentLinkRecipient('sms', { whatsapp: null, phone: null, email: null })).toBeNull();
  });
});
