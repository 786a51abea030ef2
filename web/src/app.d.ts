// See https://svelte.dev/docs/kit/types#app.d.ts
import type { ApiError, Session } from '$lib/types';

declare global {
  namespace App {
    interface Error {
      message: string;
      code?: string;
    }
    interface Locals {
      /** Filled by hooks.server.ts from GET /api/me; null when nobody is signed in. */
      session: Session | null;
      /** Set when the API could not confirm the session for a reason other than 401 (e.g. it is down). */
      sessionError: ApiError | null;
    }
    interface PageData {
      session?: Omit<Session, 'token'> | null;
    }
  }
}

export {};
