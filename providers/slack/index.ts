// Slack incoming webhook for the clinic team (env SLACK_WEBHOOK_URL): one text message per notice.
// Knows Slack's wire format only; which notices go out is services/notifications.ts's business.

export interface SlackNotifier {
  /** Posts the text; resolves false (and never throws) when Slack refuses or cannot be reached. */
  post(text: string): Promise<boolean>;
}

export function createSlackNotifier(webhookUrl: string, opts: { fetch?: typeof fetch; timeoutMs?: number; onError?: (err: unknown, status?: number) => void } = {}): SlackNotifier {
  const doFetch = opts.fetch ?? fetch;
  return {
    async post(text) {
      try {
        const res = await doFetch(webhookUrl, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text }), signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
        if (!res.ok) opts.onError?.(new Error(`slack answered ${res.status}`), res.status);
        return res.ok;
      } catch (err) {
        opts.onError?.(err);
        return false;
      }
    },
  };
}
