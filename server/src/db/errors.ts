/**
 * Whether a database error is a unique violation (SQLSTATE 23505), optionally of one constraint:
 * the rules that insert a row with a unique key catch it to answer a clear 409.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, constraint: violated } = err as { code?: string; constraint?: string };
  return code === '23505' && (constraint === undefined || violated === constraint);
}
