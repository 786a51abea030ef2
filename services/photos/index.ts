// Before/after photos of a patient's visit (issue #11): upload (checked, resized, EXIF-stripped in
// image.ts), the list with short-lived view URLs, the per-photo publicity consent and its revocation,
// soft delete (the object goes, the row stays for the audit trail), and for the upsell journey the one
// consented photo of a procedure and a URL the messaging provider may fetch. Bytes live in the storage
// provider (providers/storage); rows in patient_photos.
import crypto from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { withClinic } from '../../db/tenancy';
import { appointments, patientPhotos, patients, procedures } from '../../db/schema';
import { changeConsent, NO_CONSENT, usableInMessages, type ConsentRequest, type PhotoConsent, type PhotoKind } from '../../domain/photos';
import type { ObjectStorage } from '../../providers/storage';
import { ApiError } from '../errors';
import { preparePhoto } from './image';

export { HEIC_DECODABLE, MAX_PHOTO_BYTES, MAX_PHOTO_SIDE, photoErrors, preparePhoto } from './image';

/** How long a view URL of the dashboard lasts. */
export const VIEW_URL_SECONDS = 15 * 60;
/** How long the upsell message's photo URL lasts: the provider fetches it when sending. */
export const MESSAGE_URL_SECONDS = 60 * 60;

type PhotoRow = typeof patientPhotos.$inferSelect;
/** Runs work as one clinic (the API's c.get('tenant'), or withClinic). */
export type InClinic = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

export interface PhotoView {
  id: string;
  patientId: string;
  appointmentId: string | null;
  procedureId: string | null;
  kind: PhotoKind;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
  publicityConsent: boolean;
  identifiable: boolean;
  consentAt: string | null;
  consentRevokedAt: string | null;
  consentSource: string | null;
  uploadedBy: string | null;
  createdAt: string;
  /** Signed URL valid for VIEW_URL_SECONDS. */
  url: string;
}

export interface UploadInput {
  clinicId: string;
  patientId: string;
  userId: string | null;
  kind: PhotoKind;
  appointmentId?: string | null;
  /** Default: the appointment's procedure. */
  procedureId?: string | null;
  consent?: ConsentRequest;
  file: Uint8Array;
  now: Date;
}

const storageKey = (clinicId: string, patientId: string, photoId: string) => `photos/${clinicId}/${patientId}/${photoId}.jpg`;

const notFound = (what: 'Paciente' | 'Agendamento' | 'Procedimento' | 'Foto', field?: string) => {
  const message = what === 'Foto' ? 'Foto não encontrada.' : `${what} não encontrado nesta clínica.`;
  return new ApiError(404, 'not_found', message, field ? { [field]: [message] } : undefined);
};

export const consentOf = (row: PhotoRow): PhotoConsent => ({
  publicityConsent: row.publicityConsent, identifiable: row.identifiable, consentAt: row.consentAt,
  consentRevokedAt: row.consentRevokedAt, consentSource: row.consentSource,
});

function consentOrThrow(current: PhotoConsent, req: ConsentRequest, now: Date): PhotoConsent {
  const change = changeConsent(current, req, now);
  if (!change.ok) throw new ApiError(400, 'validation_failed', change.message, { [change.field]: [change.message] });
  return change.consent;
}

/** The patient (not deleted), and the appointment and procedure when given, all of this clinic. */
async function resolveTargets(tx: Tx, input: UploadInput): Promise<{ appointmentId: string | null; procedureId: string | null }> {
  const [patient] = await tx.select({ id: patients.id }).from(patients)
    .where(and(eq(patients.clinicId, input.clinicId), eq(patients.id, input.patientId), isNull(patients.deletedAt)));
  if (!patient) throw notFound('Paciente');
  let procedureId = input.procedureId ?? null;
  if (input.appointmentId) {
    const [a] = await tx.select({ patientId: appointments.patientId, procedureId: appointments.procedureId }).from(appointments)
      .where(and(eq(appointments.clinicId, input.clinicId), eq(appointments.id, input.appointmentId)));
    if (!a) throw notFound('Agendamento', 'appointmentId');
    if (a.patientId !== input.patientId) {
      throw new ApiError(400, 'validation_failed', 'O agendamento é de outro paciente.', { appointmentId: ['O agendamento é de outro paciente.'] });
    }
    procedureId ??= a.procedureId;
  }
  if (input.procedureId) {
    const [p] = await tx.select({ id: procedures.id }).from(procedures).where(and(eq(procedures.clinicId, input.clinicId), eq(procedures.id, input.procedureId)));
    if (!p) throw notFound('Procedimento', 'procedureId');
  }
  return { appointmentId: input.appointmentId ?? null, procedureId };
}

export function photoService(storage: ObjectStorage) {
  async function view(row: PhotoRow): Promise<PhotoView> {
    return {
      id: row.id, patientId: row.patientId, appointmentId: row.appointmentId, procedureId: row.procedureId, kind: row.kind as PhotoKind,
      contentType: row.contentType, bytes: row.bytes, width: row.width, height: row.height,
      publicityConsent: row.publicityConsent, identifiable: row.identifiable,
      consentAt: row.consentAt?.toISOString() ?? null, consentRevokedAt: row.consentRevokedAt?.toISOString() ?? null,
      consentSource: row.consentSource, uploadedBy: row.uploadedBy, createdAt: row.createdAt.toISOString(),
      url: await storage.getUrl(row.storageKey, { expiresInSeconds: VIEW_URL_SECONDS }),
    };
  }

  async function live(tx: Tx, clinicId: string, photoId: string, lock = false): Promise<PhotoRow | null> {
    const q = tx.select().from(patientPhotos).where(and(eq(patientPhotos.clinicId, clinicId), eq(patientPhotos.id, photoId), isNull(patientPhotos.deletedAt)));
    const [row] = lock ? await q.for('update') : await q;
    return row ?? null;
  }

  return {
    /**
     * Checks and converts the file first (nothing is read from the database for a file we refuse), then,
     * in one clinic transaction: the patient/appointment/procedure checks, the row, the object and
     * `onStored` (the API's audit entry). If the transaction fails after the object was written, the
     * object is removed again.
     */
    async upload(inClinic: InClinic, input: UploadInput, onStored?: (tx: Tx, photo: PhotoView) => Promise<void>): Promise<PhotoView> {
      const consent = consentOrThrow(NO_CONSENT, input.consent ?? { publicityConsent: false }, input.now);
      const image = await preparePhoto(input.file);
      let written: string | null = null;
      try {
        return await inClinic(async (tx) => {
          const targets = await resolveTargets(tx, input);
          const id = crypto.randomUUID();
          const key = storageKey(input.clinicId, input.patientId, id);
          const [row] = await tx.insert(patientPhotos).values({
            id, clinicId: input.clinicId, patientId: input.patientId, ...targets, kind: input.kind,
            storageKey: key, contentType: image.contentType, bytes: image.body.byteLength, width: image.width, height: image.height,
            ...consent, uploadedBy: input.userId, createdAt: input.now,
          }).returning();
          await storage.put(key, image.body, { contentType: image.contentType });
          written = key;
          const photo = await view(row);
          await onStored?.(tx, photo);
          return photo;
        });
      } catch (err) {
        if (written) await storage.delete(written).catch(() => undefined);
        throw err;
      }
    },

    /** The patient's photos, newest first, each with a fresh view URL; null when the patient is not this clinic's. */
    async list(tx: Tx, clinicId: string, patientId: string): Promise<PhotoView[] | null> {
      const [patient] = await tx.select({ id: patients.id }).from(patients)
        .where(and(eq(patients.clinicId, clinicId), eq(patients.id, patientId), isNull(patients.deletedAt)));
      if (!patient) return null;
      const rows = await tx.select().from(patientPhotos)
        .where(and(eq(patientPhotos.clinicId, clinicId), eq(patientPhotos.patientId, patientId), isNull(patientPhotos.deletedAt)))
        .orderBy(desc(patientPhotos.createdAt), desc(patientPhotos.id));
      return Promise.all(rows.map(view));
    },

    /** Grants or withdraws publicity consent (consentRevokedAt on withdrawal); null when there is no such photo. */
    async setConsent(tx: Tx, input: { clinicId: string; photoId: string; request: ConsentRequest; now: Date }): Promise<{ before: PhotoConsent; photo: PhotoView } | null> {
      const row = await live(tx, input.clinicId, input.photoId, true);
      if (!row) return null;
      const before = consentOf(row);
      const next = consentOrThrow(before, input.request, input.now);
      const [updated] = await tx.update(patientPhotos).set(next).where(eq(patientPhotos.id, row.id)).returning();
      return { before, photo: await view(updated) };
    },

    /** Soft delete: deletedAt set, consent withdrawn, the object removed (a failure there rolls the row back). */
    async remove(tx: Tx, input: { clinicId: string; photoId: string; now: Date }): Promise<PhotoRow | null> {
      const row = await live(tx, input.clinicId, input.photoId, true);
      if (!row) return null;
      await tx.update(patientPhotos).set({ deletedAt: input.now, publicityConsent: false, identifiable: false }).where(eq(patientPhotos.id, row.id));
      await storage.delete(row.storageKey);
      return row;
    },
  };
}

export type PhotoService = ReturnType<typeof photoService>;

/**
 * What the upsell journey needs (the UpsellPhotos port of activities/upsell.ts): the most recent
 * consented 'depois' photo of a procedure, and a URL for the message that exists only while the photo
 * is still consented and not deleted. A patient who was deleted (LGPD) never appears.
 */
export function upsellPhotoSource(deps: { db: Db; storage: ObjectStorage }) {
  return {
    async pickForUpsell(clinicId: string, procedureId: string): Promise<{ photoId: string } | null> {
      const [row] = await withClinic(deps.db, clinicId, (tx) => tx.select({ id: patientPhotos.id }).from(patientPhotos)
        .innerJoin(patients, and(eq(patients.clinicId, patientPhotos.clinicId), eq(patients.id, patientPhotos.patientId)))
        .where(and(
          eq(patientPhotos.clinicId, clinicId), eq(patientPhotos.procedureId, procedureId), eq(patientPhotos.kind, 'depois'),
          eq(patientPhotos.publicityConsent, true), isNull(patientPhotos.consentRevokedAt), isNull(patientPhotos.deletedAt), isNull(patients.deletedAt),
        ))
        .orderBy(desc(patientPhotos.createdAt), desc(patientPhotos.id)).limit(1));
      return row ? { photoId: row.id } : null;
    },

    async urlForMessage(clinicId: string, photoId: string): Promise<string | null> {
      const [row] = await withClinic(deps.db, clinicId, (tx) => tx.select({ photo: patientPhotos, patientDeletedAt: patients.deletedAt }).from(patientPhotos)
        .innerJoin(patients, and(eq(patients.clinicId, patientPhotos.clinicId), eq(patients.id, patientPhotos.patientId)))
        .where(and(eq(patientPhotos.clinicId, clinicId), eq(patientPhotos.id, photoId))));
      if (!row || row.patientDeletedAt || !usableInMessages(row.photo)) return null;
      return deps.storage.getUrl(row.photo.storageKey, { expiresInSeconds: MESSAGE_URL_SECONDS });
    },
  };
}
