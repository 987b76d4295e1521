import { type AuditAction, type AuditData, AuditTargets } from '@fanlab/shared';
import type { Tx } from '../db/tx';

/** One audit row: the action says what it targets; its data has the action's shape. */
export type AuditEntry<A extends AuditAction = AuditAction> = {
  /** null when an operator acted through the CLI. */
  actorId: number | null;
  action: A;
  targetId: number | null;
} & (keyof AuditData[A] extends never ? { data?: AuditData[A] } : { data: AuditData[A] });

/** Writes one audit row; call it inside the transaction that makes the change. */
export async function writeAudit<A extends AuditAction>(tx: Tx, entry: AuditEntry<A>): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target_type: AuditTargets[entry.action],
      target_id: entry.targetId,
      data: JSON.stringify(entry.data ?? {}),
    })
    .execute();
}

/** Several audit rows in one statement (a release moving 50 ideas); same rules as writeAudit. */
export async function writeAudits<A extends AuditAction>(tx: Tx, entries: AuditEntry<A>[]): Promise<void> {
  if (!entries.length) return;
  await tx
    .insertInto('audit_log')
    .values(
      entries.map((entry) => ({
        actor_id: entry.actorId,
        action: entry.action,
        target_type: AuditTargets[entry.action],
        target_id: entry.targetId,
        data: JSON.stringify(entry.data ?? {}),
      })),
    )
    .execute();
}
