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

/** The figures of a day or a period; what each counts is in DashboardKpis.definitions (domain/kpis.ts). */
export interface MetricFigures {
  /** Net: gross − refunds. */
  revenueCents: number;
  grossRevenueCents: number;
  refundsCents: number;
  appointments: number;
  completed: number;
  noShows: number;
  cancelled: number;
  paidVisits: number;
  leads: number;
  conversions: number;
  newPatients: number;
  averageTicketCents: number;
}

export interface DailyMetrics extends MetricFigures {
  /** YYYY-MM-DD in the clinic's time zone. */
  day: string;
}

export interface KpiRates {
  noShow: number | null;
  conversion: number | null;
}

export interface DashboardKpis {
  from: string;
  to: string;
  totals: MetricFigures;
  previous: MetricFigures;
  rates: KpiRates;
  previousRates: KpiRates;
  series: DailyMetrics[];
  computedAt: string | null;
  /** Days computed live from the records (today, and any not rolled up yet). */
  live: string[];
  definitions: Record<string, { label: string; definition: string }>;
}

export interface ApiError {
  code: string;
  message: string;
  fields?: Record<string, string[]>;
}
