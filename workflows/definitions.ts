// Names shared by the worker, the API and the workflows: task queue, search attributes, journey kinds.
import { defineSearchAttributeKey } from '@temporalio/common';

export const TASK_QUEUE = 'tigre-journeys';

/** Custom search attributes registered on the Temporal server so operators can filter journeys. */
export const ClinicId = defineSearchAttributeKey('ClinicId', 'KEYWORD');
export const PatientId = defineSearchAttributeKey('PatientId', 'KEYWORD');
export const JourneyKind = defineSearchAttributeKey('JourneyKind', 'KEYWORD');
export const AppointmentId = defineSearchAttributeKey('AppointmentId', 'KEYWORD');
export const SEARCH_ATTRIBUTES = [ClinicId, PatientId, JourneyKind, AppointmentId];

export type JourneyKindName = 'lead' | 'appointment' | 'nps' | 'upsell' | 'reactivation' | 'daily-metrics';

export const DAILY_METRICS_SCHEDULE_ID = 'daily-metrics-rollup';
