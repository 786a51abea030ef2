// Patient search: what a receptionist types (name, phone, CPF, e-mail) and filters, sorted, keyset-paginated.
//
// Why the candidate query runs as the table owner (not under row-level security): PostgreSQL only
// lets an index evaluate a condition before the RLS policy when the operator is LEAKPROOF, and LIKE
// (textlike) is not, so under RLS the trigram index on patients.search_name is never used and every
// name search scans the whole table (measured: ~100 ms at 100k patients). So this query, which only
// returns ids and sort keys, runs on the owner connection with an explicit `clinic_id = $clinic` in
// every table it touches; the rows themselves are then read inside the tenant transaction by id
// (records.ts loadListItems), where RLS applies again, so another clinic's row can never be returned.
import { foldAccents } from '../../domain/text';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { cpfLookupHash } from '../../db/crypto';
import { isValidCpf } from '../../domain/cpf';
import { normalizePhone } from '../../domain/phone';
import { ApiError } from '../errors';

export const SORTS = ['name', 'lastVisit', 'createdAt'] as const;
export type Sort = (typeof SORTS)[number];
export type Order = 'asc' | 'desc';

export interface PatientSearch {
  clinicId: string;
  /** lower(unaccent(...)) fragments, each must appear in the name. */
  nameTerms: string[];
  /** The free-text box read as digits: patients matching any of these (phone or CPF). */
  qMatch: DigitsMatch | null;
  /** Explicit filters (phone=, cpf=, email=): each must hold. */
  phone: string | null;
  cpfHash: string | null;
  email: string | null;
  tags: string[];
  classifications: string[];
  statuses: string[];
  /** Local dates (clinic time zone), inclusive. */
  lastVisitFrom: string | null;
  lastVisitTo: string | null;
  sort: Sort;
  order: Order;
  limit: number;
  cursor: Cursor | null;
}

export interface DigitsMatch {
  /** E.164 numbers (patient_phones or whatsapp). */
  phones: string[];
  cpfHashes: string[];
  /** Digits somewhere in a phone number (slow path: no index for infix digits). */
  phoneDigits: string | null;
}

/** Keyset position: the sort key of the last row returned and its id; v null = past the rows that have a key. */
export interface Cursor { s: Sort; o: Order; v: string | null; id: string }

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function decodeCursor(raw: string, sort: Sort, order: Order): Cursor {
  const bad = () => new ApiError(400, 'validation_failed', 'Cursor inválido: recomece a listagem da primeira página.', { cursor: ['Cursor inválido ou de outra ordenação.'] });
  let c: Cursor;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!c || typeof c !== 'object' || c.s !== sort || c.o !== order || typeof c.id !== 'string' || !UUID.test(c.id)) throw bad();
  if (c.v !== null && typeof c.v !== 'string') throw bad();
  if (sort === 'name' && (c.v === null || c.v.length > 400)) throw bad();
  if (sort !== 'name' && c.v !== null && !TS.test(c.v)) throw bad();
  if (sort === 'createdAt' && c.v === null) throw bad();
  return c;
}

/** The form patients.search_name is stored in: lower case, no accents (tigre_unaccent(lower(name))). */
export const foldName = foldAccents;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

export function nameTerms(text: string): string[] {
  return foldName(text).split(/\s+/).filter(Boolean).slice(0, 6);
}

export interface QueryReading { nameTerms: string[]; email: string | null; digits: DigitsMatch | null }

/** How the free-text box is read: e-mail if it has '@', phone/CPF if it is digits, else a name. */
export function interpretQuery(q: string, dataKey: Buffer): QueryReading {
  const text = q.trim();
  const none: QueryReading = { nameTerms: [], email: null, digits: null };
  if (!text) return none;
  if (text.includes('@')) return { ...none, email: text.toLowerCase() };
  if (/^[\d\s().+\-/]+$/.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length >= 4) {
      const phone = normalizePhone(text);
      const cpf = digits.length === 11 && isValidCpf(text) ? cpfLookupHash(dataKey, digits) : null;
      if (phone || cpf) return { ...none, digits: { phones: phone ? [phone] : [], cpfHashes: cpf ? [cpf] : [], phoneDigits: null } };
      return { ...none, digits: { phones: [], cpfHashes: [], phoneDigits: digits } };
    }
  }
  return { ...none, nameTerms: nameTerms(text) };
}

type Candidate = { id: string; k: string | null };

const join = (parts: SQL[], sep: string) => sql.join(parts, sql.raw(sep));
const list = (values: string[]) => join(values.map((v) => sql`${v}`), ', ');

/** The ids of one page (limit + 1 to know whether there is a next), in order, with their sort keys. */
export async function findPatientIds(ownerDb: DbOrTx, s: PatientSearch): Promise<{ ids: string[]; nextCursor: string | null }> {
  const c = s.clinicId;
  const tz = sql`(select cl.timezone from clinics cl where cl.id = ${c}::uuid)`;
  const fromTs = s.lastVisitFrom ? sql`(${s.lastVisitFrom}::date::timestamp at time zone ${tz})` : null;
  const toTs = s.lastVisitTo ? sql`((${s.lastVisitTo}::date + 1)::timestamp at time zone ${tz})` : null;

  // Conditions on the patient row p.
  const where: SQL[] = [sql`p.clinic_id = ${c}::uuid`, sql`p.deleted_at is null`];
  for (const t of s.nameTerms) where.push(sql`p.search_name like ${`%${likeEscape(t)}%`}`);
  const byPhone = (numbers: string[]) => [
    sql`select ph.patient_id from patient_phones ph where ph.clinic_id = ${c}::uuid and ph.number in (${list(numbers)})`,
    sql`select w.id from patients w where w.clinic_id = ${c}::uuid and w.whatsapp in (${list(numbers)})`,
  ];
  const byCpf = (hashes: string[]) => sql`select h.id from patients h where h.clinic_id = ${c}::uuid and h.cpf_hash in (${list(hashes)}) and h.deleted_at is null`;
  if (s.qMatch) {
    const sources: SQL[] = [];
    if (s.qMatch.phones.length) sources.push(...byPhone(s.qMatch.phones));
    if (s.qMatch.cpfHashes.length) sources.push(byCpf(s.qMatch.cpfHashes));
    if (s.qMatch.phoneDigits) {
      sources.push(sql`select ph.patient_id from patient_phones ph where ph.clinic_id = ${c}::uuid and ph.number like ${`%${s.qMatch.phoneDigits}%`}`);
    }
    where.push(sources.length ? sql`p.id in (${join(sources, ' union ')})` : sql`false`);
  }
  if (s.phone) where.push(sql`p.id in (${join(byPhone([s.phone]), ' union ')})`);
  if (s.cpfHash) where.push(sql`p.id in (${byCpf([s.cpfHash])})`);
  if (s.email) where.push(sql`p.email = ${s.email}`);
  if (s.tags.length) where.push(sql`p.tags @> array[${list(s.tags)}]::text[]`);
  if (s.classifications.length) where.push(sql`p.classification in (${list(s.classifications)})`);
  if (s.statuses.length) where.push(sql`p.status in (${list(s.statuses)})`);

  const visit = (alias: 'a' | 'b') => sql`${sql.raw(alias)}.clinic_id = ${c}::uuid and ${sql.raw(alias)}.status = 'realizado'`;
  /** No completed visit of a's patient after a (ties broken by id), i.e. a is the patient's last visit. */
  const isLastVisit = sql`not exists (select 1 from appointments b where ${visit('b')} and b.patient_id = a.patient_id
      and b.starts_at >= a.starts_at and (b.starts_at > a.starts_at or b.id > a.id))`;

  const limit = s.limit + 1;
  const cur = s.cursor;
  const desc = s.order === 'desc';
  const cmp = sql.raw(desc ? '<' : '>');
  const dir = sql.raw(desc ? 'desc' : 'asc');

  if (s.sort === 'lastVisit') {
    // Walk completed appointments by time (index clinic_id, starts_at), keeping each patient's last one;
    // then the patients who never came, by id. Cheap in the desc direction (the recent end first).
    const rows: Candidate[] = [];
    if (!cur || cur.v !== null) {
      const conds: SQL[] = [visit('a'), isLastVisit, ...where];
      if (fromTs) conds.push(sql`a.starts_at >= ${fromTs}`);
      if (toTs) conds.push(sql`a.starts_at < ${toTs}`);
      if (cur) conds.push(sql`a.starts_at ${sql.raw(desc ? '<=' : '>=')} ${cur.v}::timestamptz and (a.starts_at ${cmp} ${cur.v}::timestamptz or a.patient_id ${cmp} ${cur.id}::uuid)`);
      const found = await ownerDb.execute<Candidate>(sql`
        select a.patient_id as id, to_char(a.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as k
        from appointments a join patients p on p.id = a.patient_id and p.clinic_id = ${c}::uuid
        where ${join(conds, ' and ')}
        order by a.starts_at ${dir}, a.patient_id ${dir} limit ${limit}`);
      rows.push(...found);
    }
    if (rows.length < limit && !fromTs && !toTs) {
      const conds: SQL[] = [...where, sql`not exists (select 1 from appointments a where ${visit('a')} and a.patient_id = p.id)`];
      if (cur && cur.v === null) conds.push(sql`p.id ${cmp} ${cur.id}::uuid`);
      const found = await ownerDb.execute<Candidate>(sql`
        select p.id, null as k from patients p where ${join(conds, ' and ')}
        order by p.id ${dir} limit ${limit - rows.length}`);
      rows.push(...found);
    }
    return page(rows, s);
  }

  if (fromTs || toTs) {
    // Last completed visit within [from, to]: a visit in the range and none after it.
    const conds: SQL[] = [visit('a')];
    if (fromTs) conds.push(sql`a.starts_at >= ${fromTs}`);
    if (toTs) {
      conds.push(sql`a.starts_at < ${toTs}`);
      conds.push(sql`not exists (select 1 from appointments b where ${visit('b')} and b.patient_id = a.patient_id and b.starts_at >= ${toTs})`);
    }
    where.push(sql`p.id in (select a.patient_id from appointments a where ${join(conds, ' and ')})`);
  }

  if (s.sort === 'name' && s.nameTerms.length) return page(await nameSearch(ownerDb, s, where), s);

  const key = s.sort === 'name' ? NAME_KEY : sql`p.created_at`;
  const keyText = s.sort === 'name' ? sql`p.search_name` : sql`to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const typed = (v: string) => (s.sort === 'name' ? sql`${v}` : sql`${v}::timestamptz`);
  if (cur && cur.v !== null) {
    where.push(sql`${key} ${sql.raw(desc ? '<=' : '>=')} ${typed(cur.v)} and (${key} ${cmp} ${typed(cur.v)} or p.id ${cmp} ${cur.id}::uuid)`);
  }
  const rows = await ownerDb.execute<Candidate>(sql`
    select p.id, ${keyText} as k from patients p
    where ${join(where, ' and ')}
    order by ${key} ${dir}, p.id ${dir} limit ${limit}`);
  return page([...rows], s);
}

/**
 * The name order: search_name in byte order (collate "C", the collation of patients_clinic_search_name_idx),
 * whatever the database's default collation, so the index gives rows already sorted.
 */
const NAME_KEY = sql`(p.search_name collate "C")`;
/** How many patients (in name order) the infix step reads before handing over to the trigram index. */
export const NAME_WALK_ROWS = 2000;
/** Step 0 (several words): at most this many matches are sorted as the whole answer. */
export const FEW_ROWS = 200;

/**
 * Search by name, sorted by name: names that START with the first word typed come first (in name
 * order), then the other names that contain it (in name order); every word must appear in the name.
 * A common name ("joao": 1 in 16 patients) matches thousands of rows, and sorting them all for one
 * page took ~40 ms, so each part reads only what one page needs:
 * 0. several words: at most FEW_ROWS + 1 matches from the trigram index; when that is all of them
 *    (a full name typed: the usual case), they are sorted and that is the answer;
 * 1. prefix: `search_name like 'joao%'` is a range of patients_clinic_search_name_idx, already sorted;
 * 2. the rest (contains the first word, does not start with it): walk the same index in order for
 *    at most NAME_WALK_ROWS patients, keeping the matches — enough when the word is common ("silva");
 * 3. when that walk ends short of a page, the word is rare: its few trigram matches (trigram index)
 *    are sorted instead; 3 replaces 2.
 * One statement: each part runs only if the parts before it left the page short (one-time filters,
 * and PostgreSQL computes a CTE only when it is read).
 * The keyset cursor (search_name, id) tells which part it is in: search_name starts with the first word or not.
 */
async function nameSearch(db: DbOrTx, s: PatientSearch, where: SQL[]): Promise<Candidate[]> {
  const limit = s.limit + 1;
  const cur = s.cursor;
  const desc = s.order === 'desc';
  const cmp = sql.raw(desc ? '<' : '>');
  const dir = sql.raw(desc ? 'desc' : 'asc');
  const after = (c: Cursor) => sql`${NAME_KEY} ${sql.raw(desc ? '<=' : '>=')} ${c.v} and (${NAME_KEY} ${cmp} ${c.v} or p.id ${cmp} ${c.id}::uuid)`;
  const order = sql`order by ${NAME_KEY} ${dir}, p.id ${dir}`;
  const first = s.nameTerms[0];
  const prefix = `${likeEscape(first)}%`;
  const inPrefix = !cur || (cur.v ?? '').startsWith(first);

  const prefixConds = [...where, sql`p.search_name like ${prefix}`];
  if (cur && inPrefix) prefixConds.push(after(cur));
  // where[0..1] are the clinic and not-deleted conditions: the walk's bounds, which the index holds.
  const [clinic, live, ...filters] = where;
  const bounds = [clinic, live];
  if (cur && !inPrefix) bounds.push(after(cur));
  // Without other filters the match test reads only search_name: an index-only walk.
  const rest = [...filters, sql`p.search_name not like ${prefix}`];
  const prefixRows = inPrefix
    ? sql`select p.id, ${NAME_KEY} as k from patients p where ${join(prefixConds, ' and ')} ${order} limit ${limit}`
    : sql`select null::uuid as id, null::text collate "C" as k where false`;

  // Several words typed (each long enough to have trigrams): usually a handful of patients. Step 0
  // reads at most FEW_ROWS + 1 matches from the trigram index; when that is all of them, sorting
  // them is the answer and steps 1–3 never run.
  const tryFew = s.nameTerms.length > 1 && s.nameTerms.every((t) => t.length >= 3);
  const starts = sql`p.search_name like ${prefix}`;
  const position = !cur ? sql`true` : inPrefix ? sql`(not ${starts} or ${after(cur)})` : sql`(not ${starts} and ${after(cur)})`;
  const fewSteps = tryFew
    ? sql`
    matches as materialized (select p.id, ${NAME_KEY} as k, ${starts} as starts from patients p where ${join([...where, position], ' and ')}),
    few as materialized (select matches.id, matches.k, matches.starts from matches limit ${FEW_ROWS + 1}),
    few_enough as (select (select count(*) from few) <= ${FEW_ROWS} as ok),`
    : sql``;
  const fewEnough = tryFew ? sql`(select ok from few_enough)` : sql`false`;
  const fewRows = tryFew
    ? sql`select case when few.starts then 1 else 2 end as part, few.id, few.k from few where ${fewEnough}
      union all`
    : sql``;

  return db.execute<Candidate>(sql`
    with ${fewSteps}
    pre as materialized (${prefixRows}),
    walk as materialized (
      select p.id, ${NAME_KEY} as k, (${join(rest, ' and ')}) as hit from patients p
      where ${join(bounds, ' and ')} ${order} limit ${NAME_WALK_ROWS}
    ),
    hits as materialized (select walk.id, walk.k from walk where walk.hit order by walk.k ${dir}, walk.id ${dir} limit ${limit}),
    -- materialised without a limit: the planner takes every match from the trigram index, then sorts
    rare as materialized (select p.id, ${NAME_KEY} as k from patients p where ${join([...bounds, ...rest], ' and ')}),
    need as (select ${limit} - (select count(*) from pre) as n),
    walk_enough as (select (select count(*) from hits) >= (select n from need) or (select count(*) from walk) < ${NAME_WALK_ROWS} as ok)
    select x.id, x.k from (
      ${fewRows}
      select 1 as part, pre.id, pre.k from pre where not ${fewEnough}
      union all
      select 2, hits.id, hits.k from hits where not ${fewEnough} and (select n from need) > 0 and (select ok from walk_enough)
      union all
      select 3, r.id, r.k from (select rare.id, rare.k from rare order by rare.k ${dir}, rare.id ${dir} limit ${limit}) r
      where not ${fewEnough} and (select n from need) > 0 and not (select ok from walk_enough)
    ) x
    order by x.part, x.k ${dir}, x.id ${dir} limit ${limit}`);
}

function page(rows: Candidate[], s: PatientSearch) {
  const more = rows.length > s.limit;
  const shown = rows.slice(0, s.limit);
  const last = shown[shown.length - 1];
  return {
    ids: shown.map((r) => r.id),
    nextCursor: more && last ? encodeCursor({ s: s.sort, o: s.order, v: last.k, id: last.id }) : null,
  };
}
