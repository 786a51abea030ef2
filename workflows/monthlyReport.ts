// The monthly report's e-mail (issue #13), started hourly by the Schedule `monthly-report-email`: the
// clinics whose report is due (the 1st from 08:00 local, catching up to the 3rd), each sent once per month
// and recipient (activities/reports.ts; the outbox's idempotency makes reruns harmless).
import { proxyActivities } from '@temporalio/workflow';
import type { ReportActivities } from '../activities/reports';

const { monthlyReportsDue, sendMonthlyReport } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 10 },
});

export async function monthlyReportMailer(input: { at?: string } = {}): Promise<{ clinics: number; messages: number }> {
  const at = input.at ?? new Date().toISOString();
  const due = await monthlyReportsDue({ at });
  let messages = 0;
  for (const d of due) messages += (await sendMonthlyReport({ ...d, at })).recipients;
  return { clinics: due.length, messages };
}
