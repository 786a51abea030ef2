// Small helpers the admin forms share.

/** `use:enhance` that keeps what was typed when the action fails (SvelteKit resets the form by default). */
export const keepValues = () => async ({ update }: { update: (o?: { reset?: boolean }) => Promise<void> }) => update({ reset: false });

/** A field's error message, or undefined. */
export type FieldError = (field: string) => string | undefined;
