// The shapes the web app works with, as the API contract describes them.
// $lib/server/api.ts is the only place that turns API responses into these.

export type Role = 'admin' | 'staff' | 'view';

export interface User {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}

export interface Clinic {
  id: string;
  name: string;
  timezone: string;
}

export interface Session {
  token: string;
  user: User;
  clinic: Clinic;
  role: Role;
}

export interface MetricFigures {
  revenueCents: number;
  appointments: number;
  noShows: number;
  conversions: number;
  newPatients: number;
  completed: number;
  averageTicketCents: number;
}

export interface DailyMetrics extends MetricFigures {
  /** YYYY-MM-DD in the clinic's time zone. */
  day: string;
}

export interface DashboardKpis {
  from: string;
  to: string;
  totals: MetricFigures;
  previous: MetricFigures;
  series: DailyMetrics[];
  computedAt: string | null;
}

export interface ApiError {
  code: string;
  message: string;
  fields?: Record<string, string[]>;
}
