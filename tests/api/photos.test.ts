// Before/after photos through the API, on the real PostgreSQL and the local storage adapter: a phone JPEG
// with EXIF is stored turned the right way up, at most 2048 px, without EXIF; a text file called .jpg, a
// HEIC this server cannot decode, 16 MB, another clinic's patient or appointment are refused in pt-BR with
// nothing stored; consent is per photo and its revocation removes the photo from the upsell (pick and
// message URL, and the message itself); delete removes the file; view-only members cannot write.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { appointments, auditLog, consents, patientPhotos, upsellOffers } from '../../db/schema';
import { createLocalStorage, type LocalStorage } from '../../providers/storage/local';
import { HEIC_DECODABLE, upsellPhotoSource } from '../../services/photos';
import { createUpsellActivities } from '../../activities/upsell';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic, fakeSender, LINK_SECRET, WEB_BASE } from '../support/reminder-fixtures';

let now = new Date('2030-06-10T13:00:00Z');
let dir: string;
let storage: LocalStorage;
let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let other: Awaited<ReturnType<typeof createReminderClinic>>;
let staff: string;
let viewer: string;
let otherStaff: string;
let phoneJpeg: Buffer;

const PT = /[a-zà-ú]{3,}/i;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-photos-api-'));
  storage = createLocalStorage({ dir, baseUrl: 'http://api.test', secret: 'photos-api-test-secret', clock: () => now });
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => now, storage });
  clinic = await createReminderClinic(tdb.db, 'Clínica Fotos');
  other = await createReminderClinic(tdb.db, 'Clínica Vizinha Fotos');
  staff = await login(api.app, clinic.members.staff.email);
  viewer = await login(api.app, clinic.members.view.email);
  otherStaff = await login(api.app, other.members.staff.email);
  // A landscape phone photo taken in portrait: 3000×2000 pixels with EXIF Orientation 6 (turn 90° clockwise
  // to show), the left half red and the right half blue, and the camera's make and model in EXIF.
  phoneJpeg = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#ff0000' } })
    .composite([{ input: { create: { width: 1500, height: 2000, channels: 3, background: '#0000ff' } }, left: 1500, top: 0 }])
    .withExif({ IFD0: { Make: 'TigreCam', Model: 'Modelo Secreto 12' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 80 })
    .toBuffer();
});
afterAll(async () => {
  await api?.close();
  await tdb?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function upload(patientId: string, fields: Record<string, string>, file: { bytes: Uint8Array; name: string; type: string } | null, token = staff) {
  const form = new FormData();
  if (file) form.set('file', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return api.app.request(`/api/patients/${patientId}/photos`, { method: 'POST', headers: bearer(token), body: form });
}
const jpeg = (bytes: Uint8Array = phoneJpeg, name = 'IMG_0042.jpg') => ({ bytes, name, type: 'image/jpeg' });
const json = (method: string, url: string, body: unknown, token = staff) =>
  api.app.request(url, { method, headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
const rowsOf = (patientId: string) => tdb.db.select().from(patientPhotos).where(eq(patientPhotos.patientId, patientId));
const filesUnder = (sub: string) => {
  const root = path.join(dir, sub);
  return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).filter((f) => String(f).endsWith('.jpg')) : [];
};
const local = (url: string) => { const u = new URL(url); return `${u.pathname}${u.search}`; };

describe('upload', () => {
  let photoId: string;

  it('stores a phone JPEG turned upright, resized to 2048 px, without EXIF; the row has its size; audited', async () => {
    const res = await upload(clinic.carla.id, { kind: 'antes' }, jpeg());
    expect(res.status).toBe(201);
    const photo = await res.json();
    photoId = photo.id;
    // 3000×2000 shown turned → 2000×3000 → fits 2048: 1365×2048.
    expect(photo).toMatchObject({ patientId: clinic.carla.id, kind: 'antes', contentType: 'image/jpeg', width: 1365, height: 2048, publicityConsent: false, identifiable: false, consentAt: null });
    const [row] = await rowsOf(clinic.carla.id);
    expect(row).toMatchObject({ id: photoId, clinicId: clinic.clinic.id, width: 1365, height: 2048, uploadedBy: clinic.members.staff.id });
    expect(row.storageKey).toBe(`photos/${clinic.clinic.id}/${clinic.carla.id}/${photoId}.jpg`);
    const stored = fs.readFileSync(path.join(dir, row.storageKey));
    expect(row.bytes).toBe(stored.length);
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1365, height: 2048 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(stored.includes('TigreCam')).toBe(false);
    expect(stored.includes('Modelo Secreto')).toBe(false);
    // The orientation was applied to the pixels: the left (red) half is now on top.
    const { data, info } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    expect(px(680, 100)[0]).toBeGreaterThan(200);
    expect(px(680, 100)[2]).toBeLessThan(60);
    expect(px(680, 1950)[2]).toBeGreaterThan(200);
    expect(px(680, 1950)[0]).toBeLessThan(60);
    const audits = await tdb.db.select().from(auditLog).where(eq(auditLog.entityId, photoId));
    expect(audits.map((a) => [a.action, a.entity])).toEqual([['create', 'patient_photo']]);
  });

  it('lists the photos with a signed view URL that serves the bytes; tampered → 403, expired → 410', async () => {
    const res = await api.app.request(`/api/patients/${clinic.carla.id}/photos`, { headers: bearer(viewer) });
    expect(res.status).toBe(200);
    const { photos } = await res.json();
    expect(photos.map((p: { id: string }) => p.id)).toEqual([photoId]);
    const url: string = photos[0].url;
    expect(url).toMatch(/^http:\/\/api\.test\/api\/files\/photos\/photos%2F.+\.jpg\?exp=\d+&sig=/);
    // No session needed: the signature is the permission.
    const file = await api.app.request(local(url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    const [row] = await rowsOf(clinic.carla.id);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(fs.readFileSync(path.join(dir, row.storageKey)));

    const tampered = local(url).replace(/sig=([A-Za-z0-9_-])/, (_, ch: string) => `sig=${ch === 'A' ? 'B' : 'A'}`);
    const refused = await api.app.request(tampered);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatchObject({ code: 'link_invalid', message: expect.stringMatching(PT) });
    const otherKey = local(url).replace(photoId, other.clinic.id);
    expect((await api.app.request(otherKey)).status).toBe(403);
    expect((await api.app.request(local(url).split('?')[0])).status).toBe(403);

    const later = now;
    now = new Date(later.getTime() + 16 * 60_000);
    try {
      const expired = await api.app.request(local(url));
      expect(expired.status).toBe(410);
      expect((await expired.json()).error).toMatchObject({ code: 'link_expired', message: expect.stringMatching(PT) });
    } finally {
      now = later;
    }
  });

  it('refuses a text file named .jpg, a HEIC this server cannot read and a corrupt JPEG, in pt-BR; nothing stored', async () => {
    const before = (await rowsOf(clinic.ana.id)).length;
    const text = await upload(clinic.ana.id, { kind: 'antes' }, { bytes: Buffer.from('isto não é uma foto, é um texto'), name: 'foto.jpg', type: 'image/jpeg' });
    expect(text.status).toBe(415);
    expect((await text.json()).error).toMatchObject({ code: 'unsupported_media_type', message: 'O arquivo não é uma foto em JPEG, PNG, HEIC ou WebP.' });

    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(2000, 7)]);
    const h = await upload(clinic.ana.id, { kind: 'antes' }, { bytes: heic, name: 'IMG_0001.HEIC', type: 'image/heic' });
    if (HEIC_DECODABLE) {
      expect(h.status).toBe(400);
    } else {
      expect(h.status).toBe(415);
      expect((await h.json()).error).toEqual({ code: 'heic_unsupported', message: 'Formato HEIC não suportado neste servidor; envie em JPEG ou PNG.' });
    }

    const corrupt = await upload(clinic.ana.id, { kind: 'antes' }, jpeg(phoneJpeg.subarray(0, 600)));
    expect(corrupt.status).toBe(400);
    expect((await corrupt.json()).error).toMatchObject({ code: 'image_unreadable', message: expect.stringMatching(PT) });

    const missing = await upload(clinic.ana.id, { kind: 'antes' }, null);
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.fields.file[0]).toMatch(/Envie a foto/);
    const badKind = await upload(clinic.ana.id, { kind: 'durante' }, jpeg());
    expect(badKind.status).toBe(400);
    expect((await badKind.json()).error.fields.kind[0]).toMatch(/antes ou depois/);
    const idWithoutConsent = await upload(clinic.ana.id, { kind: 'depois', identifiable: 'true' }, jpeg());
    expect(idWithoutConsent.status).toBe(400);
    expect((await idWithoutConsent.json()).error.fields.identifiable[0]).toMatch(/consentimento/);

    expect((await rowsOf(clinic.ana.id)).length).toBe(before);
    expect(filesUnder(`photos/${clinic.clinic.id}/${clinic.ana.id}`)).toEqual([]);
  });

  it('refuses more than 15 MB with 413 (16 MB at the body limit, just over 15 MB at the file check)', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024, 0);
    phoneJpeg.copy(big);
    const r = await upload(clinic.ana.id, { kind: 'antes' }, jpeg(big));
    expect(r.status).toBe(413);
    expect((await r.json()).error).toEqual({ code: 'payload_too_large', message: 'A foto excede o limite de 15 MB. Envie uma versão menor.' });
    const justOver = await upload(clinic.ana.id, { kind: 'antes' }, jpeg(big.subarray(0, 15 * 1024 * 1024 + 1)));
    expect(justOver.status).toBe(413);
    expect((await rowsOf(clinic.ana.id)).length).toBe(0);
  });

  it("another clinic's patient or appointment is not found, another patient's appointment is refused; nothing stored", async () => {
    const theirs = await upload(other.carla.id, { kind: 'antes' }, jpeg());
    expect(theirs.status).toBe(404);
    expect((await theirs.json()).error).toMatchObject({ code: 'not_found', message: 'Paciente não encontrado nesta clínica.' });
    const [theirAppt] = await tdb.db.insert(appointments).values({
      clinicId: other.clinic.id, patientId: other.carla.id, procedureId: other.limpeza.id, professionalId: other.helena.id,
      startsAt: new Date('2030-06-01T13:00:00Z'), durationMinutes: 60, priceCents: 25000, status: 'realizado',
    }).returning();
    const appt = await upload(clinic.carla.id, { kind: 'antes', appointmentId: theirAppt.id }, jpeg());
    expect(appt.status).toBe(404);
    expect((await appt.json()).error.fields.appointmentId).toBeDefined();
    const [anasAppt] = await tdb.db.insert(appointments).values({
      clinicId: clinic.clinic.id, patientId: clinic.ana.id, procedureId: clinic.limpeza.id, professionalId: clinic.bruno.id,
      startsAt: new Date('2030-06-02T13:00:00Z'), durationMinutes: 60, priceCents: 25000, status: 'realizado',
    }).returning();
    const notHers = await upload(clinic.carla.id, { kind: 'antes', appointmentId: anasAppt.id }, jpeg());
    expect(notHers.status).toBe(400);
    expect((await notHers.json()).error.fields.appointmentId).toEqual(['O agendamento é de outro paciente.']);
    const proc = await upload(clinic.carla.id, { kind: 'antes', procedureId: other.limpeza.id }, jpeg());
    expect(proc.status).toBe(404);
    expect((await rowsOf(other.carla.id)).length).toBe(0);
    expect(filesUnder(`photos/${other.clinic.id}`)).toEqual([]);
    expect((await rowsOf(clinic.carla.id)).length).toBe(1);
    // Their staff cannot list ours either.
    expect((await api.app.request(`/api/patients/${clinic.carla.id}/photos`, { headers: bearer(otherStaff) })).status).toBe(404);
  });

  it('a view-only member cannot upload', async () => {
    const r = await upload(clinic.carla.id, { kind: 'antes' }, jpeg(), viewer);
    expect(r.status).toBe(403);
  });
});

describe('consent and the upsell', () => {
  const source = () => upsellPhotoSource({ db: tdb.db, storage });
  let consented: string;
  let older: string;

  it('a consented "depois" photo of the appointment is picked (its procedure by default; the most recent one)', async () => {
    const [appt] = await tdb.db.insert(appointments).values({
      clinicId: clinic.clinic.id, patientId: clinic.ana.id, procedureId: clinic.botox.id, professionalId: clinic.helena.id,
      startsAt: new Date('2030-06-05T13:00:00Z'), durationMinutes: 30, priceCents: 120000, status: 'realizado',
    }).returning();
    const o = await upload(clinic.ana.id, { kind: 'depois', appointmentId: appt.id, publicityConsent: 'true', consentSource: 'termo assinado' }, jpeg());
    expect(o.status).toBe(201);
    older = (await o.json()).id;
    now = new Date(now.getTime() + 60_000);
    const r = await upload(clinic.ana.id, { kind: 'depois', appointmentId: appt.id, publicityConsent: 'true', identifiable: 'true' }, jpeg());
    const photo = await r.json();
    consented = photo.id;
    expect(photo).toMatchObject({ procedureId: clinic.botox.id, appointmentId: appt.id, publicityConsent: true, identifiable: true, consentSource: 'painel', consentAt: now.toISOString() });
    // An "antes" photo is never offered; nor a photo without consent.
    await upload(clinic.ana.id, { kind: 'antes', appointmentId: appt.id, publicityConsent: 'true' }, jpeg());
    await upload(clinic.ana.id, { kind: 'depois', procedureId: clinic.laser.id }, jpeg());
    expect(await source().pickForUpsell(clinic.clinic.id, clinic.botox.id)).toEqual({ photoId: consented });
    expect(await source().pickForUpsell(clinic.clinic.id, clinic.laser.id)).toBeNull();
    expect(await source().pickForUpsell(other.clinic.id, clinic.botox.id)).toBeNull();
    const url = await source().urlForMessage(clinic.clinic.id, consented);
    expect(url).toMatch(/^http:\/\/api\.test\/api\/files\/photos\//);
    expect((await api.app.request(local(url!))).status).toBe(200);
    expect(await source().urlForMessage(other.clinic.id, consented)).toBeNull();
  });

  it("the upsell message carries the photo, and stops carrying it once consent is revoked", async () => {
    await tdb.db.insert(consents).values({ clinicId: clinic.clinic.id, patientId: clinic.carla.id, channel: 'whatsapp', granted: true, source: 'painel', grantedAt: now });
    const [offer] = await tdb.db.insert(upsellOffers).values({
      clinicId: clinic.clinic.id, patientId: clinic.carla.id, seq: 1, workflowId: `upsell:${clinic.carla.id}:1`, status: 'enviada',
      procedureId: clinic.botox.id, photoId: consented, sentAt: now, expiresAt: new Date(now.getTime() + 14 * 86_400_000),
    }).returning();
    const sender = fakeSender();
    const activities = createUpsellActivities({ db: tdb.db, sender, links: { secret: LINK_SECRET, webBaseUrl: WEB_BASE }, photos: (() => {
      const s = source();
      return { pick: s.pickForUpsell, url: s.urlForMessage };
    })(), clock: () => now });
    await activities.sendUpsellMessage({ clinicId: clinic.clinic.id, offerId: offer.id, kind: 'offer' });
    expect(sender.messages[0].mediaUrl).toMatch(/^http:\/\/api\.test\/api\/files\/photos\//);
    expect(sender.messages[0].body).toMatch(/foto/);

    // Revoked: out of every future message.
    const revoke = await json('PATCH', `/api/photos/${consented}/consent`, { publicityConsent: false });
    expect(revoke.status).toBe(200);
    expect(await revoke.json()).toMatchObject({ publicityConsent: false, identifiable: false, consentRevokedAt: now.toISOString() });
    const [row] = await tdb.db.select().from(patientPhotos).where(eq(patientPhotos.id, consented));
    expect(row).toMatchObject({ publicityConsent: false, identifiable: false, consentRevokedAt: now });
    expect(await source().urlForMessage(clinic.clinic.id, consented)).toBeNull();
    // The older consented photo is the one offered now.
    expect(await source().pickForUpsell(clinic.clinic.id, clinic.botox.id)).toEqual({ photoId: older });
    const [offer2] = await tdb.db.insert(upsellOffers).values({
      clinicId: clinic.clinic.id, patientId: clinic.carla.id, seq: 2, workflowId: `upsell:${clinic.carla.id}:2`, status: 'enviada',
      procedureId: clinic.botox.id, photoId: consented, sentAt: now, expiresAt: new Date(now.getTime() + 14 * 86_400_000),
    }).returning();
    await activities.sendUpsellMessage({ clinicId: clinic.clinic.id, offerId: offer2.id, kind: 'offer' });
    expect(sender.messages[1].mediaUrl).toBeUndefined();
    expect(sender.messages[1].body).not.toMatch(/foto/);

    const audits = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, consented), eq(auditLog.action, 'revoke_consent')));
    expect(audits).toHaveLength(1);
  });

  it('consent can be given later (identifiable only with it); bad bodies, viewers and other clinics are refused', async () => {
    const [photo] = (await rowsOf(clinic.ana.id)).filter((p) => p.procedureId === clinic.laser.id);
    expect((await json('PATCH', `/api/photos/${photo.id}/consent`, { publicityConsent: false, identifiable: true })).status).toBe(400);
    expect((await json('PATCH', `/api/photos/${photo.id}/consent`, { publicityConsent: 'sim' })).status).toBe(400);
    expect((await json('PATCH', `/api/photos/${photo.id}/consent`, { publicityConsent: true }, viewer)).status).toBe(403);
    expect((await json('PATCH', `/api/photos/${photo.id}/consent`, { publicityConsent: true }, otherStaff)).status).toBe(404);
    const r = await json('PATCH', `/api/photos/${photo.id}/consent`, { publicityConsent: true, source: 'WhatsApp' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ publicityConsent: true, identifiable: false, consentSource: 'WhatsApp' });
    expect(await source().pickForUpsell(clinic.clinic.id, clinic.laser.id)).toEqual({ photoId: photo.id });
  });
});

describe('delete', () => {
  it('soft-deletes the row, removes the file; gone from the list, the upsell and the view URL; audited', async () => {
    const [photo] = (await rowsOf(clinic.ana.id)).filter((p) => p.procedureId === clinic.laser.id);
    const { photos } = await (await api.app.request(`/api/patients/${clinic.ana.id}/photos`, { headers: bearer(staff) })).json();
    const url = photos.find((p: { id: string }) => p.id === photo.id).url;
    expect((await api.app.request(`/api/photos/${photo.id}`, { method: 'DELETE', headers: bearer(viewer) })).status).toBe(403);
    expect((await api.app.request(`/api/photos/${photo.id}`, { method: 'DELETE', headers: bearer(otherStaff) })).status).toBe(404);
    const del = await api.app.request(`/api/photos/${photo.id}`, { method: 'DELETE', headers: bearer(staff) });
    expect(del.status).toBe(204);
    const [row] = await tdb.db.select().from(patientPhotos).where(eq(patientPhotos.id, photo.id));
    expect(row).toMatchObject({ deletedAt: now, publicityConsent: false });
    expect(fs.existsSync(path.join(dir, row.storageKey))).toBe(false);
    expect((await api.app.request(local(url))).status).toBe(404);
    const after = await (await api.app.request(`/api/patients/${clinic.ana.id}/photos`, { headers: bearer(staff) })).json();
    expect(after.photos.map((p: { id: string }) => p.id)).not.toContain(photo.id);
    expect(await upsellPhotoSource({ db: tdb.db, storage }).pickForUpsell(clinic.clinic.id, clinic.laser.id)).toBeNull();
    expect(await upsellPhotoSource({ db: tdb.db, storage }).urlForMessage(clinic.clinic.id, photo.id)).toBeNull();
    expect((await api.app.request(`/api/photos/${photo.id}`, { method: 'DELETE', headers: bearer(staff) })).status).toBe(404);
    expect((await json('PATCH', `/api/photos/${photo.id}/consent`, { publicityConsent: true })).status).toBe(404);
    const audits = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, photo.id), eq(auditLog.action, 'delete')));
    expect(audits).toHaveLength(1);
  });
});

describe('OpenAPI', () => {
  it('documents the photo routes with the multipart upload', async () => {
    const doc = await (await api.app.request('/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/patients/{id}/photos', '/api/photos/{id}/consent', '/api/photos/{id}', '/api/files/photos/{key}',
    ]));
    const form = doc.paths['/api/patients/{id}/photos'].post.requestBody.content['multipart/form-data'].schema;
    expect(form.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(Object.keys(form.properties)).toEqual(expect.arrayContaining(['kind', 'appointmentId', 'procedureId', 'publicityConsent', 'identifiable']));
    expect(doc.paths['/api/patients/{id}/photos'].post.responses['415']).toBeDefined();
  });
});
