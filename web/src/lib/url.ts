// Links that keep the page's state in the query string (so they work without JavaScript and with "back").

type Changes = Record<string, string | number | null | undefined>;

/** '?a=1&b=2' from the current query with some keys changed (null/undefined/'' removes a key). */
export function withParams(current: URL | URLSearchParams, changes: Changes = {}, keep?: readonly string[]): string {
  const params = new URLSearchParams(current instanceof URL ? current.search : current);
  for (const key of [...params.keys()]) {
    if (key.startsWith('/') || (keep && !keep.includes(key) && !(key in changes))) params.delete(key);
  }
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '?';
}

/** The form action URL for a named action that keeps the current query: '?a=1&/cancel'. */
export function actionUrl(current: URL, action: string, changes: Changes = {}): string {
  const base = withParams(current, changes);
  return base === '?' ? `?/${action}` : `${base}&/${action}`;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string | null | undefined): value is string {
  return !!value && UUID.test(value);
}
