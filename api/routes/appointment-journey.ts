// The appointment journey as the dashboard shows it: the workflow's own state (next step and when, what
// was sent, what the patient answered) through its query, and the link to it in the Temporal Web UI.
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { appointments } from '../../db/schema';
import { readAppointmentJourney } from '../../journeys/appointment';
import { temporalWorkflowUrl } from '../../journeys/temporal';
import { appointmentWorkflowId } from '../../workflows/definitions';
import type { ApiDeps } from '../context';
import { errors } from '../../services/errors';
import { bearer, errorResponses, router } from '../openapi';

const Sent = z.object({ step: z.string(), channel: z.string(), template: z.string(), at: z.string(), status: z.string() });
const Answer = z.object({ text: z.string(), at: z.string(), channel: z.string(), interpreted: z.string(), outcome: z.string() });
const JourneyState = z.object({
  appointmentId: z.string(), startsAt: z.string(), status: z.string(),
  nextStep: z.object({ step: z.string(), at: z.string() }).nullable(),
  ended: z.string().nullable(),
  sent: z.array(Sent), answers: z.array(Answer),
  npsHandover: z.string().optional(),
});
const Journey = z.object({
  workflowId: z.string(),
  /** The workflow exists and is still running. */
  running: z.boolean(),
  /** Temporal's status (RUNNING, COMPLETED, FAILED, TERMINATED, CONTINUED_AS_NEW…), null when not found. */
  workflowStatus: z.string().nullable(),
  /** The journey's answer to its state query; null when not found or it did not answer in time. */
  state: JourneyState.nullable(),
  /** Why the state is missing although the workflow exists (pt-BR). */
  stateError: z.string().nullable(),
  temporalUrl: z.string(),
}).openapi('AppointmentJourney');
export type AppointmentJourneyView = z.infer<typeof Journey>;

/** Mounted at /api/journeys. */
export function appointmentJourneyRoutes(deps: ApiDeps) {
  return router().openapi(
    createRoute({
      method: 'get', path: '/appointments/{id}', tags: ['Agenda'], security: bearer,
      summary: 'Estado da jornada do agendamento (próximo passo, mensagens enviadas, respostas) e link no Temporal',
      request: { params: z.object({ id: z.uuid({ message: 'Identificador inválido.' }) }) },
      responses: { 200: { description: 'Jornada', content: { 'application/json': { schema: Journey } } }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const [row] = await c.get('tenant')((tx) => tx.select({ id: appointments.id }).from(appointments).where(eq(appointments.id, id)));
      if (!row) throw errors.notFound('Agendamento');
      const workflowId = appointmentWorkflowId(id);
      const read = await readAppointmentJourney(deps.temporal, c.get('log'), id);
      return c.json({ workflowId, ...read, temporalUrl: temporalWorkflowUrl(deps.env, workflowId) }, 200);
    },
  );
}
