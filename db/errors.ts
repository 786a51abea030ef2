// PostgreSQL errors as the code sees them: SQLSTATE and constraint name, also when Drizzle wraps them.

export function pgError(err: unknown): { code?: string; constraint?: string } {
  const e = err as { code?: string; constraint_name?: string; cause?: { code?: string; constraint_name?: string } };
  const src = e?.cause?.code ? e.cause : e;
  return { code: src?.code, constraint: src?.constraint_name };
}

/** The exclusion constraint that keeps a professional from being booked twice at once lost a race. */
export function isDoubleBooking(err: unknown): boolean {
  const { code, constraint } = pgError(err);
  return code === '23P01' && (constraint === undefined || constraint === 'appointments_no_double_booking');
}
