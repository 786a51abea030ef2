// The Anna bench worker's workflows: the product's, plus the baseline: a trivial workflow that answers
// each `benchPing` signal with one outbox row through the same message sender (no Anna in between).
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BenchEchoActivities } from './anna-worker';

export * from '../workflows';

export const benchPingSignal = defineSignal<[{ n: number }]>('benchPing');

const { benchEchoSend } = proxyActivities<BenchEchoActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export async function benchEchoWorkflow(input: { clinicId: string; phone: string; rounds: number }): Promise<void> {
  const inbox: number[] = [];
  setHandler(benchPingSignal, ({ n }) => { inbox.push(n); });
  for (let done = 0; done < input.rounds; done++) {
    await condition(() => inbox.length > 0);
    await benchEchoSend({ clinicId: input.clinicId, phone: input.phone, n: inbox.shift()! });
  }
}
