// The Hono app: middleware, route modules, OpenAPI document and docs page, one error handler.
import { pgError } from '../db/errors';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiDeps } from './context';
import { ApiError, type ErrorBody } from '../services/errors';
import { router } from './openapi';
import { clientIp } from './ip';
import { authenticate, authorize } from './auth/middleware';
import { authRoutes } from './routes/auth';
import { meRoutes } from './routes/me';
import { dashboardRoutes } from './routes/dashboard';
import { adminRoutes } from './routes/admin';
import { healthRoutes } from './routes/health';
import { patientRoutes } from './routes/patients';
import { appointmentRoutes } from './routes/appointments';
import { createExternalBusy, defaultCalendarProvider, googleIntegrationRoutes, googleWebhookRoutes } from './routes/google';
import { secrets } from '../config/env';
import { calendarFeedAdminRoutes, calendarFeedRoutes } from './routes/calendar-feeds';
import { procedureRoutes } from './routes/procedures';
import { professionalRoutes } from './routes/professionals';
import { clinicAdminRoutes, clinicRoutes } from './routes/clinic';
import { publicFeedbackRoutes } from './routes/public-feedback';
import { feedbackRoutes } from './routes/feedback';
import { reportsCatalogRoutes } from './routes/reports-catalog';
import { couponRoutes } from './routes/coupons';
import { afterVisitSettingsRoutes } from './routes/after-visit-settings';
import { reportSettingsRoutes } from './routes/report-settings';
import { publicAppointmentRoutes } from './routes/public-appointments';
import { sendgridWebhookRoutes, twilioWebhookRoutes } from './routes/webhooks-messaging';
import { simulatorRoutes } from './routes/simulator';
import { paymentRoutes } from './routes/payments';
import { paymentSendRoutes } from './routes/payment-send';
import { stripeWebhookRoutes } from './routes/stripe-webhook';
import { publicCheckoutRoutes } from './routes/public-checkout';
import { commissionRoutes } from './routes/commissions';
import { reconciliationRoutes } from './routes/reconciliation';
import { recurringPaymentRoutes } from './routes/recurring-payments';
import { paymentSettingsRoutes } from './routes/payment-settings';
import { annaSettingsRoutes } from './routes/anna-settings';
import { reminderTemplateRoutes } from './routes/reminder-templates';
import { notificationRoutes } from './routes/notifications';
import { appointmentJourneyRoutes } from './routes/appointment-journey';
import { conversationRoutes } from './routes/conversations';
import { photoRoutes } from './routes/photos';
import { loyaltyRoutes } from './routes/loyalty';
import { loyaltyAdminRoutes } from './routes/loyalty-admin';
import { reactivationRoutes } from './routes/reactivation';
import { exportRoutes } from './routes/exports';
import { publicReportRoutes, reportRoutes } from './routes/reports';
import { mountEvents } from './routes/events';
import { createEventHub } from '../services/events';
import { sqlClientOf } from '../db/client';
import { LOCAL_FILES_PATH, storageFromEnv } from '../providers/storage';

export const MAX_BODY_BYTES = 1024 * 1024;
const PUBLIC_API = new Set(['/api/auth/login']);
const PHOTO_UPLOAD = /^\/api\/patients\/[^/]+\/photos\/?$/;
const LOCAL_FILES_PREFIX = `${LOCAL_FILES_PATH}/`;

/** PostgreSQL errors that bad input can cause: a 4xx, never a 500. */
function fromPostgres(err: unknown): ApiError | null {
  const { code } = pgError(err);
  switch (code) {
    case '22021': case '22P05': // NUL or a character PostgreSQL can't store
      return new ApiError(400, 'validation_failed', 'O texto contém caracteres inválidos.');
    case '23505': return new ApiError(409, 'conflict', 'Já existe um registro com estes dados.');
    case '23P01': return new ApiError(409, 'conflict', 'Conflito de horário com outro registro.');
    case '23503': return new ApiError(409, 'conflict', 'O registro referenciado não existe ou está em uso.');
    case '23514': case '23502': return new ApiError(400, 'validation_failed', 'Os dados não atendem às regras da clínica.');
    default:
      // Class 22, data exception (a bad number, date, time-zone offset, text…): the input was wrong.
      return code?.startsWith('22') ? new ApiError(400, 'validation_failed', 'Valor inválido em um dos campos.') : null;
  }
}

export function createApp(deps: ApiDeps) {
  const app = router();

  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', async (c, next) => {
    const log = deps.log.child({ requestId: c.get('requestId') });
    c.set('log', log);
    c.set('clientIp', clientIp(c, deps.env.TRUST_PROXY === '1'));
    const started = performance.now();
    await next();
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-site' }));
  const defaultBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => { throw new ApiError(413, 'payload_too_large', 'O corpo da requisição excede o limite de 1 MB.'); },
  });
  // The patient import routes take files up to 10 MB, photo uploads up to 15 MB: they apply their own limit.
  const ownLimit = (c: { req: { path: string; method: string } }) => c.req.path.startsWith('/api/patients/import')
    || (c.req.method === 'POST' && PHOTO_UPLOAD.test(c.req.path))
    || (c.req.method === 'PUT' && c.req.path.startsWith(LOCAL_FILES_PREFIX));
  app.use('*', (c, next) => (ownLimit(c) ? next() : defaultBodyLimit(c, next)));
  const requireSession = authenticate(deps);
  app.use('/api/*', async (c, next) => {
    // The local storage's file URLs carry their own permission (signature + expiry).
    if (PUBLIC_API.has(c.req.path) || c.req.path.startsWith('/api/public/') || c.req.path.startsWith(LOCAL_FILES_PREFIX)) return next();
    await requireSession(c, async () => {
      await authorize(c, next);
    });
  });

  app.onError((err, c) => {
    const known = err instanceof ApiError ? err : fromPostgres(err);
    if (known) return c.json(known.body(), known.status);
    if (err instanceof HTTPException) {
      const malformed = err.status === 400 && /json/i.test(err.message);
      const body: ErrorBody = { error: malformed
        ? { code: 'malformed_json', message: 'O corpo da requisição não é um JSON válido.' }
        : err.status === 415
          ? { code: 'unsupported_media_type', message: 'Formato não suportado: envie o corpo como application/json.' }
          : { code: 'validation_failed', message: 'Requisição inválida.' } };
      return c.json(body, err.status as ContentfulStatusCode);
    }
    (c.get('log') ?? deps.log).error({ err }, 'unhandled error');
    const body: ErrorBody = { error: { code: 'internal_error', message: 'Erro interno. Tente novamente; se persistir, informe o código da requisição.' } };
    return c.json(body, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'Rota não encontrada.' } } satisfies ErrorBody, 404));

  // Google busy times join slot finding when a professional's calendar is connected.
  const externalBusy = createExternalBusy({ db: deps.db, calendar: defaultCalendarProvider(deps), dataKey: secrets(deps.env).dataKey, log: deps.log });

  // Live changes (server-sent events), fed by PostgreSQL notifications.
  mountEvents(app, deps.events ?? createEventHub(sqlClientOf(deps.db), (err) => deps.log.warn({ err }, 'event hub')));

  const routes = app
    .route('/health', healthRoutes(deps))
    .route('/feeds', calendarFeedRoutes(deps))
    .route('/api/auth', authRoutes(deps))
    .route('/api/me', meRoutes(deps))
    .route('/api/dashboard', dashboardRoutes(deps))
    .route('/api/admin', adminRoutes(deps))
    .route('/api/patients', patientRoutes(deps))
    .route('/webhooks/google', googleWebhookRoutes(deps))
    .route('/webhooks/twilio', twilioWebhookRoutes(deps))
    .route('/webhooks/sendgrid', sendgridWebhookRoutes(deps))
    .route('/api/simulator', simulatorRoutes(deps))
    .route('/api/reminders', reminderTemplateRoutes(deps))
    .route('/api/notifications', notificationRoutes(deps))
    .route('/api/journeys', appointmentJourneyRoutes(deps))
    .route('/api/conversations', conversationRoutes(deps))
    .route('/api/appointments', appointmentRoutes(deps, { externalBusy }))
    .route('/api/integrations/google', googleIntegrationRoutes(deps))
    .route('/api/admin/calendar-feeds', calendarFeedAdminRoutes(deps))
    .route('/api/procedures', procedureRoutes(deps))
    .route('/api/professionals', professionalRoutes(deps))
    .route('/api/clinic', clinicRoutes(deps))
    .route('/api/admin/clinic', clinicAdminRoutes(deps))
    .route('/api/public/appointments', publicAppointmentRoutes(deps))
    .route('/api/public', publicFeedbackRoutes(deps))
    .route('/api/public/reports', publicReportRoutes(deps))
    .route('/api/feedback', feedbackRoutes(deps))
    .route('/api/reports', reportsCatalogRoutes(deps))
    .route('/webhooks/stripe', stripeWebhookRoutes(deps))
    .route('/api/payments', paymentRoutes(deps))
    .route('/api/payments', paymentSendRoutes(deps))
    .route('/api/public/checkout', publicCheckoutRoutes(deps))
    .route('/api/coupons', couponRoutes(deps))
    .route('/api/commissions', commissionRoutes(deps))
    .route('/api/reconciliation', reconciliationRoutes(deps))
    .route('/api/recurring-payments', recurringPaymentRoutes(deps))
    .route('/api/admin/payment-settings', paymentSettingsRoutes(deps))
    .route('/api/admin/anna-settings', annaSettingsRoutes(deps))
    .route('/api/admin/after-visit-settings', afterVisitSettingsRoutes(deps))
    .route('/api/admin/report-settings', reportSettingsRoutes(deps))
    .route('/api/admin/loyalty', loyaltyAdminRoutes(deps))
    .route('/api', photoRoutes(deps, { storage: deps.storage ?? storageFromEnv(deps.env) }))
    .route('/api', loyaltyRoutes(deps))
    .route('/api', reactivationRoutes(deps))
    .route('/api/exports', exportRoutes(deps))
    .route('/api/reports', reportRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'http', scheme: 'bearer', description: 'Token de POST /api/auth/login (ou o cookie tigre_session).',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Tigre CRM API', version: '0.1.0', description: 'API do Tigre CRM para clínicas de estética. Erros: { error: { code, message, fields? } }.' },
  });
  mountDocs(app);
  return routes;
}

export type AppType = ReturnType<typeof createApp>;

/** Swagger UI served from the swagger-ui-dist package: the docs page works offline. */
function mountDocs(app: ReturnType<typeof router>) {
  const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets: Record<string, string> = { 'swagger-ui.css': 'text/css', 'swagger-ui-bundle.js': 'text/javascript' };
  app.get('/docs', (c) =>
    c.html(`<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>Tigre CRM · API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`),
  );
  app.get('/docs/assets/init.js', (c) => {
    c.header('Content-Type', 'text/javascript');
    return c.body(`window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', persistAuthorization: true });`);
  });
  app.get('/docs/assets/:file', (c) => {
    const file = c.req.param('file');
    const type = assets[file];
    if (!type) return c.notFound();
    c.header('Content-Type', type);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(fs.readFileSync(path.join(dist, file)));
  });
}
