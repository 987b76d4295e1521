import { type BetaRule, type BetaRuleFailure, betaRules, ErrorCodes } from '@fanlab/shared';
import { ApiError } from '../api/client';

const isRule = (value: unknown): value is BetaRule => (betaRules as readonly unknown[]).includes(value);

/**
 * The rules a 422 `beta_not_eligible` says the application failed (each once, in the server's
 * order), or null when the error is something else.
 */
export function failedRules(error: unknown): BetaRuleFailure[] | null {
  if (!(error instanceof ApiError) || error.code !== ErrorCodes.betaNotEligible) return null;
  const failed = (error.details as { failed?: unknown } | undefined)?.failed;
  if (!Array.isArray(failed)) return [];
  const seen = new Set<BetaRule>();
  const rules: BetaRuleFailure[] = [];
  for (const entry of failed as unknown[]) {
    const { rule, message } = (entry ?? {}) as { rule?: unknown; message?: unknown };
    if (!isRule(rule) || seen.has(rule)) continue;
    seen.add(rule);
    rules.push({ rule, message: typeof message === 'string' ? message : '' });
  }
  return rules;
}
