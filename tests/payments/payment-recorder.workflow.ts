// A stand-in appointment journey for the payment tests: it records every paymentReceived signal.
import { condition, defineQuery, setHandler } from '@temporalio/workflow';
import { paymentReceivedSignal, type PaymentReceived } from '../../workflows/definitions';

export const paymentsQuery = defineQuery<PaymentReceived[]>('payments');

export async function paymentRecorder(): Promise<PaymentReceived[]> {
  const received: PaymentReceived[] = [];
  setHandler(paymentReceivedSignal, (p) => { received.push(p); });
  setHandler(paymentsQuery, () => received);
  await condition(() => false, '1 hour');
  return received;
}
