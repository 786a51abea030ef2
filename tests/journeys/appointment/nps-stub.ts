// Stands in for the NPS journey on a separate task queue of the reminders test, so the hand-over itself
// can be observed (the real `npsSurvey` in workflows/nps.ts is registered by the product's worker and
// has its own time-skipping tests in tests/journeys/nps/): same type name, it just returns its argument.
export async function npsSurvey(input: { clinicId: string; patientId: string; appointmentId: string }) {
  return { received: input };
}
