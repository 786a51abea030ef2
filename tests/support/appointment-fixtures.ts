// A clinic ready for booking tests: members per role, two professionals with weekly hours, procedures
// (one only Dr. Bruno performs), a patient; and a helper for São Paulo wall-clock times.
import type { Db } from '../../db/client';
import { patients, procedures, professionalProcedures, professionalWorkingHours, professionals } from '../../db/schema';
import { createClinicWithMembers } from './app';

/** Monday 2024-04-01 09:00 in São Paulo (UTC−3): the tests' "now" (in the past: the login cookie refuses expiries > 400 days ahead). */
export const NOW = new Date('2024-04-01T12:00:00Z');

/** São Paulo wall-clock time as an ISO instant with offset: sp('2024-04-02', '10:00'). */
export const sp = (day: string, time: string) => `${day}T${time}:00-03:00`;

export async function createBookingClinic(db: Db, name: string) {
  const { clinic, members } = await createClinicWithMembers(db, name);
  const [helena, bruno] = await db.insert(professionals).values([
    { clinicId: clinic.id, name: 'Dra. Helena Prado', color: '#e11d48' },
    { clinicId: clinic.id, name: 'Dr. Bruno Costa', color: '#2563eb' },
  ]).returning();
  const hours = [];
  for (const p of [helena, bruno]) {
    for (const weekday of [1, 2, 3, 4, 5]) {
      hours.push({ clinicId: clinic.id, professionalId: p.id, weekday, startMinute: 8 * 60, endMinute: 12 * 60 });
      hours.push({ clinicId: clinic.id, professionalId: p.id, weekday, startMinute: 13 * 60, endMinute: 18 * 60 });
    }
    hours.push({ clinicId: clinic.id, professionalId: p.id, weekday: 6, startMinute: 8 * 60, endMinute: 12 * 60 });
  }
  await db.insert(professionalWorkingHours).values(hours);
  const [limpeza, botox, laser] = await db.insert(procedures).values([
    { clinicId: clinic.id, name: 'Limpeza de pele', category: 'facial', durationMinutes: 60, defaultPriceCents: 25000 },
    { clinicId: clinic.id, name: 'Toxina botulínica', category: 'facial', durationMinutes: 30, defaultPriceCents: 120000 },
    { clinicId: clinic.id, name: 'Depilação a laser', category: 'corporal', durationMinutes: 90, defaultPriceCents: 40000 },
  ]).returning();
  // Helena performs only these two; Bruno has no rows, so he performs everything.
  await db.insert(professionalProcedures).values([
    { clinicId: clinic.id, professionalId: helena.id, procedureId: limpeza.id },
    { clinicId: clinic.id, professionalId: helena.id, procedureId: botox.id },
  ]);
  const [ana] = await db.insert(patients).values({ clinicId: clinic.id, name: 'Ana Souza', whatsapp: '+5511987654321' }).returning();
  const [bia] = await db.insert(patients).values({ clinicId: clinic.id, name: 'Beatriz Lima' }).returning();
  return { clinic, members, helena, bruno, limpeza, botox, laser, ana, bia };
}

export type BookingClinic = Awaited<ReturnType<typeof createBookingClinic>>;
