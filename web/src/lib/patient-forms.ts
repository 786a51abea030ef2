// Progressive enhancement of the patient pages' forms: the button says it is working, the typed text
// stays on a refusal, and after an answer the focus moves to the new heading (screen readers hear it).
import { tick } from 'svelte';
import type { SubmitFunction } from '@sveltejs/kit';

/** `setBusy(true, value)` gets the value of the button that submitted (the tapped slot). */
export function patientSubmit(setBusy: (busy: boolean, submitter?: string) => void): SubmitFunction {
  return ({ submitter }) => {
    setBusy(true, submitter instanceof HTMLButtonElement ? submitter.value : undefined);
    return async ({ result, update }) => {
      await update({ reset: false });
      setBusy(false);
      await tick();
      if (result.type === 'success') document.getElementById('link-title')?.focus();
      else document.querySelector<HTMLElement>('[data-error-focus]')?.focus();
    };
  };
}
