// What the procedure and professional forms submit, read and checked the same way when adding and editing.
import { CATEGORY_LABELS } from '$lib/agenda';
import { parseMoney, parsePercent, text, type FieldErrors } from '$lib/server/pages';

type Category = 'facial' | 'corporal' | 'capilar' | 'outra';

/** The procedure fields as typed (to refill the form), their errors, and the parsed figures when there are none. */
export function readProcedureForm(form: FormData) {
  const values = {
    name: text(form, 'name'),
    category: text(form, 'category'),
    durationMinutes: text(form, 'durationMinutes'),
    price: text(form, 'price'),
    cost: text(form, 'cost'),
    description: text(form, 'description'),
  };
  const fields: FieldErrors = {};
  const price = parseMoney(values.price);
  const cost = values.cost ? parseMoney(values.cost) : null;
  const duration = Number(values.durationMinutes);
  if (price === null) fields.defaultPriceCents = ['Informe o preço, ex. 350,00.'];
  if (values.cost && cost === null) fields.costCents = ['Informe o custo, ex. 80,00.'];
  if (!Number.isInteger(duration)) fields.durationMinutes = ['Informe a duração em minutos.'];
  if (!(values.category in CATEGORY_LABELS)) fields.category = ['Escolha a categoria.'];
  const procedure = {
    name: values.name,
    category: values.category as Category,
    durationMinutes: duration,
    defaultPriceCents: price!,
    costCents: cost,
    description: values.description || null,
  };
  return { values, fields, procedure };
}

/** The professional's profile fields as typed, and the parsed profile; commission null when it is not a percentage. */
export function readProfessionalForm(form: FormData) {
  const values = {
    name: text(form, 'name'),
    specialty: text(form, 'specialty'),
    email: text(form, 'email'),
    phone: text(form, 'phone'),
    commission: text(form, 'commission'),
    color: text(form, 'color'),
  };
  const commission = parsePercent(values.commission || '0');
  const commissionError: FieldErrors = { commissionPercent: ['Informe a comissão em %, ex. 15,5.'] };
  const profile = {
    name: values.name,
    specialty: values.specialty || null,
    email: values.email || null,
    phone: values.phone || null,
    commissionPercent: commission!,
    color: values.color,
  };
  return { values, fields: commission === null ? commissionError : {}, profile };
}
