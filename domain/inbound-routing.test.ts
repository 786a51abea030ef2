import { describe, expect, it } from 'vitest';
import { classifyInbound, type InboundFacts } from './inbound-routing';

const base: InboundFacts = {
  channel: 'whatsapp', text: 'oi', receivedAt: '2026-12-03T13:00:00.000Z', openAppointment: false, openConversation: false,
  lastWhatsapp: null, quietAfterSpam: false, procedures: [],
};

describe('classifyInbound', () => {
  it('a number without an appointment goes to Anna; with a spam verdict and no open conversation it stays quiet', () => {
    expect(classifyInbound(base)).toEqual({ to: 'lead' });
    expect(classifyInbound({ ...base, quietAfterSpam: true })).toEqual({ to: 'spam_quiet' });
    expect(classifyInbound({ ...base, channel: 'sms' })).toEqual({ to: 'unrouted' });
  });

  it("the staff's conversation with a detractor takes what would go to Anna or nowhere, on WhatsApp and SMS", () => {
    const staff = { ...base, openConversation: true, staffConversation: true };
    expect(classifyInbound({ ...staff, text: 'Alguém pode me ligar?' })).toEqual({ to: 'staff' });
    expect(classifyInbound({ ...staff, text: 'quanto custa o botox?' })).toEqual({ to: 'staff' });
    expect(classifyInbound({ ...base, channel: 'sms', staffConversation: true })).toEqual({ to: 'staff' });
  });

  it("the staff's conversation does not take a reminder's answer, an opt-out or the survey's own answer", () => {
    const staff = { ...base, openConversation: true, staffConversation: true, openAppointment: true, lastWhatsapp: { anna: false, buttons: false } };
    expect(classifyInbound({ ...staff, text: '1' })).toEqual({ to: 'appointment' });
    expect(classifyInbound({ ...staff, channel: 'sms', text: 'confirmo' })).toEqual({ to: 'appointment' });
    expect(classifyInbound({ ...staff, text: 'SAIR' })).toEqual({ to: 'opt_out', toLead: true });
    expect(classifyInbound({ ...staff, openAppointment: false, text: 'foi péssimo', survey: { stage: 'comment', last: true } })).toEqual({ to: 'nps' });
  });
});
