// Every workflow the worker runs (bundled by the Temporal worker from this file).
export { dailyMetricsRollup } from './dailyMetrics';
export { appointmentJourney } from './appointment';
export { calendarSync } from './calendarSync';
export { leadJourney } from './lead';
export { npsSurvey } from './nps';
export { upsellOffer } from './upsell';
export { reactivationJourney } from './reactivation';
export { reactivationSweep } from './reactivationSweep';
export { loyaltyMaintenance, loyaltyBalanceReply } from './loyalty';
export { churnModelTraining } from './churnModelTraining';
export { monthlyReportMailer } from './monthlyReport';
