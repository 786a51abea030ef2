// Every workflow the worker runs (bundled by the Temporal worker from this file).
export { dailyMetricsRollup } from './dailyMetrics';
