import type { Db } from '../db/connect';

export interface AuditEntry {
  /** null when an operator acted through the CLI. */
  actorId: number | null;
  action: string;
  targetType: string;
  targetId: number | null;
  data?: Record<string, unknown>;
}

/** Writes one audit row; call it inside the transaction that makes the change. */
export async function writeAudit(tx: Db, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      data: JSON.stringify(entry.data ?? {}),
    })
    .execute();
}
