// The channels the clinic reaches patients through (shared by reminders, consents and the outbox).
import { pgEnum } from 'drizzle-orm/pg-core';

export const messageChannel = pgEnum('message_channel', ['whatsapp', 'sms', 'email']);
export type MessageChannel = (typeof messageChannel.enumValues)[number];
