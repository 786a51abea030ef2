// The forecasts (the brief's "Previsões (ML)"): net revenue or appointments for the next 30 or 90 days,
// from the clinic's daily figures (services/reports/daily.ts: the rollup and the live days) through the
// pure forecaster (domain/forecast: damped additive Holt–Winters with weekly seasonality and Brazilian
// holidays, 80% and 95% intervals), combined with what the agenda already holds:
//  - appointments: the appointments already booked for a day are a floor (the KPI counts every
//    appointment that starts that day, whatever becomes of it);
//  - revenue: the booked appointments' prices × the clinic's realisation of the last 90 days (net
//    revenue ÷ the prices of the appointments that started in them, at most 1) are a floor.
// The report carries its own backtest: rolling-origin MASE against the seasonal-naïve forecast and the
// share of actual days inside the 80% band.
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { backtest, describeModel, fitModel, forecastFrom, MIN_TRAINING_DAYS, withBooked, type BacktestResult, type ForecastWithBooked, type ModelDescription } from '../../domain/forecast';
import { addLocalDays, localDate, localDayBounds } from '../../domain/timezone';
import { clinicScheduling } from '../catalog/settings';
import { dailyFigures } from './daily';

export type ForecastMetric = 'revenue' | 'appointments';
/** Days of history the model is fitted on (at most). */
export const HISTORY_DAYS = 730;

export interface ForecastReport {
  metric: ForecastMetric;
  horizon: number;
  /** The last day of history (yesterday: today is not over). */
  asOf: string;
  historyDays: number;
  history: { day: string; value: number }[];
  days: ForecastWithBooked[];
  totals: { mean: number; booked: number };
  realisation: number | null;
  model: ModelDescription | null;
  backtest: BacktestResult | null;
  /** Why there is no forecast (too little history), in pt-BR. */
  note: string | null;
}

export async function forecastReport(tx: Tx, clinicId: string, metric: ForecastMetric, horizon: number, now: Date): Promise<ForecastReport> {
  const tz = (await clinicScheduling(tx, clinicId))?.timezone ?? 'America/Sao_Paulo';
  const today = localDate(now, tz);
  const asOf = addLocalDays(today, -1);
  // History from the clinic's first activity (at most HISTORY_DAYS back) to yesterday, every day present.
  const [first] = (await tx.execute(sql`
    select least((select min(starts_at) from appointments where clinic_id = ${clinicId}::uuid),
                 (select min(processed_at) from payments where clinic_id = ${clinicId}::uuid)) as at`)) as unknown as { at: string | null }[];
  const firstDay = first?.at ? localDate(new Date(first.at), tz) : today;
  const from = [firstDay, addLocalDays(today, -HISTORY_DAYS)].sort().at(-1)!;
  const { rows } = from <= asOf ? await dailyFigures(tx, clinicId, from, asOf, today) : { rows: [] };
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const history: { day: string; value: number }[] = [];
  for (let d = from; d <= asOf; d = addLocalDays(d, 1)) {
    const r = byDay.get(d);
    history.push({ day: d, value: r ? (metric === 'revenue' ? r.revenueCents : r.appointments) : 0 });
  }

  const start = localDayBounds(today, tz).start.toISOString();
  const end = localDayBounds(addLocalDays(today, horizon - 1), tz).end.toISOString();
  const bookedRows = (await tx.execute(sql`
    select to_char(starts_at at time zone ${tz}, 'YYYY-MM-DD') as day, count(*)::int as n, coalesce(sum(price_cents), 0)::bigint as cents
    from appointments where clinic_id = ${clinicId}::uuid and status in ('agendado', 'confirmado')
      and starts_at >= ${start}::timestamptz and starts_at < ${end}::timestamptz
    group by 1`)) as unknown as { day: string; n: number; cents: string | number }[];

  let realisation: number | null = null;
  if (metric === 'revenue') {
    const last90 = history.slice(-90);
    const since = localDayBounds(last90[0]?.day ?? today, tz).start.toISOString();
    const [p] = (await tx.execute(sql`
      select coalesce(sum(price_cents), 0)::bigint as cents from appointments
      where clinic_id = ${clinicId}::uuid and starts_at >= ${since}::timestamptz and starts_at < ${start}::timestamptz and status <> 'cancelado'`)) as unknown as { cents: string | number }[];
    const net = last90.reduce((s, d) => s + d.value, 0);
    realisation = Number(p?.cents ?? 0) > 0 ? Math.max(0, Math.min(1, net / Number(p!.cents))) : 0;
  }
  const booked = bookedRows.map((b) => ({ day: b.day, value: metric === 'revenue' ? Number(b.cents) : Number(b.n) }));
  const bookedTotal = booked.reduce((s, b) => s + b.value, 0);

  if (history.length < MIN_TRAINING_DAYS) {
    return {
      metric, horizon, asOf, historyDays: history.length, history, days: [], totals: { mean: 0, booked: bookedTotal }, realisation, model: null, backtest: null,
      note: `São necessários pelo menos ${MIN_TRAINING_DAYS} dias de histórico para prever; a clínica tem ${history.length}.`,
    };
  }
  const opts = { allowNegative: metric === 'revenue' };
  const model = fitModel(history, opts);
  const days = withBooked(forecastFrom(model, horizon), booked, realisation === null ? {} : { realisation });
  // Rolling origins: as many horizons as the history allows past the minimum training, at most 6.
  const origins = Math.min(6, Math.floor((history.length - MIN_TRAINING_DAYS) / horizon));
  const bt = origins >= 1 ? backtest(history, { horizon, origins }, opts) : null;
  return {
    metric, horizon, asOf, historyDays: history.length, history: history.slice(-120), days,
    totals: { mean: Math.round(days.reduce((s, d) => s + d.mean, 0)), booked: bookedTotal },
    realisation, model: describeModel(model), backtest: bt,
    note: bt ? null : 'Histórico curto para medir o erro da previsão em dados passados (backtest).',
  };
}
