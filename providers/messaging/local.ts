// The embedded default: the message stays in the outbox (already recorded by the sender) as 'sent',
// where the dashboard's phone simulator shows it. Nothing leaves the machine.
import type { ChannelAdapter } from './adapter';

export function createLocalAdapter(): ChannelAdapter {
  return {
    kind: 'local',
    channels: ['whatsapp', 'sms', 'email'],
    async deliver(_message, ctx) {
      return { providerMessageId: `local-${ctx.outboxId}`, providerStatus: 'sent' };
    },
    async deliverBatch(items) {
      return items.map(({ ctx }) => ({ providerMessageId: `local-${ctx.outboxId}`, providerStatus: 'sent' }));
    },
  };
}
