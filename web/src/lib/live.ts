// Live updates in the browser: listens to /eventos (the clinic's changes, server-sent events relayed
// from the API) and calls `onChange` — usually SvelteKit's invalidateAll — at most once per `debounceMs`
// when appointments or payments change. EventSource reconnects by itself after a network drop; the
// returned function stops listening (call it when the page goes away).
export interface LiveChange {
  entity: string;
  op: string;
  rows: number;
}

export function listenToChanges(onChange: (changes: LiveChange[]) => void, opts: { entities?: string[]; debounceMs?: number; url?: string } = {}): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource(opts.url ?? '/eventos');
  let pending: LiveChange[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  source.addEventListener('change', (e) => {
    let change: LiveChange;
    try {
      change = JSON.parse((e as MessageEvent<string>).data) as LiveChange;
    } catch {
      return;
    }
    if (opts.entities && !opts.entities.includes(change.entity)) return;
    pending.push(change);
    timer ??= setTimeout(() => {
      const batch = pending;
      pending = [];
      timer = null;
      onChange(batch);
    }, opts.debounceMs ?? 400);
  });
  return () => {
    if (timer) clearTimeout(timer);
    source.close();
  };
}
