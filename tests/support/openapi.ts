// Checks an API answer against its OpenAPI schema (the subset @hono/zod-openapi emits), field by field.

export type JsonSchema = {
  $ref?: string; type?: string | string[]; enum?: unknown[]; properties?: Record<string, JsonSchema>; required?: string[];
  items?: JsonSchema; minimum?: number; maximum?: number; format?: string;
};

/** Where `value` breaks the documented schema (the subset @hono/zod-openapi emits): [] when it conforms. */
export function violations(value: unknown, schema: JsonSchema, doc: { components: { schemas: Record<string, JsonSchema> } }, at = '$'): string[] {
  if (schema.$ref) return violations(value, doc.components.schemas[schema.$ref.split('/').pop()!]!, doc, at);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (types.length && !types.includes(kind) && !(kind === 'integer' && types.includes('number'))) return [`${at}: ${kind} is not ${types.join('|')}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in the enum`];
  if (value === null) return [];
  const out: string[] = [];
  if (typeof value === 'number' && ((schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum))) out.push(`${at}: ${value} out of range`);
  if (typeof value === 'string' && schema.format === 'date-time' && Number.isNaN(Date.parse(value))) out.push(`${at}: not a date-time`);
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => out.push(...violations(v, schema.items!, doc, `${at}[${i}]`)));
  if (kind === 'object' && schema.properties) {
    const obj = value as Record<string, unknown>;
    for (const k of schema.required ?? []) if (!(k in obj)) out.push(`${at}.${k}: missing`);
    for (const [k, v] of Object.entries(obj)) {
      if (!schema.properties[k]) out.push(`${at}.${k}: not documented`);
      else out.push(...violations(v, schema.properties[k]!, doc, `${at}.${k}`));
    }
  }
  return out;
}
