// Response shapes of the API, inferred from its routes (AppType): components type their props with these.
import type { hc, InferResponseType } from 'hono/client';
import type { AppType } from '$api/app';

type Api = ReturnType<typeof hc<AppType>>['api'];

export type AppointmentList = InferResponseType<Api['appointments']['$get'], 200>;
export type Appointment = AppointmentList['items'][number];
export type SlotList = InferResponseType<Api['appointments']['slots']['$get'], 200>;
export type Slot = SlotList['slots'][number];
export interface NextSlot {
  professionalId: string;
  startsAt: string;
  endsAt: string;
}

export type Professional = InferResponseType<Api['professionals']['$get'], 200>['professionals'][number];
export type TimeBlock = InferResponseType<Api['professionals'][':id']['blocks']['$get'], 200>['blocks'][number];
export type Procedure = InferResponseType<Api['procedures']['$get'], 200>['procedures'][number];
export type ProcedureDetail = InferResponseType<Api['procedures'][':id']['$get'], 200>;
export type Holiday = InferResponseType<Api['clinic']['holidays']['$get'], 200>['holidays'][number];
export type DateOverride = InferResponseType<Api['clinic']['overrides']['$get'], 200>['overrides'][number];
export type ClinicScheduling = InferResponseType<Api['clinic']['settings']['$get'], 200>;

export type PatientPage = InferResponseType<Api['patients']['$get'], 200>;
export type PatientListItem = PatientPage['items'][number];
export type Patient = InferResponseType<Api['patients'][':id']['$get'], 200>;
export type ClassificationRule = InferResponseType<Api['patients']['classification-rule']['$get'], 200>;
export type TimelinePage = InferResponseType<Api['patients'][':id']['timeline']['$get'], 200>;
export type TimelineItem = TimelinePage['items'][number];
export type ImportReport = InferResponseType<Api['patients']['import']['preview']['$post'], 200>;

export type CalendarFeed = InferResponseType<Api['admin']['calendar-feeds']['$get'], 200>['feeds'][number];
export type NewCalendarFeed = InferResponseType<Api['admin']['calendar-feeds']['$post'], 201>;
