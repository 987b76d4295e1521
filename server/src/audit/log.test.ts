import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import type { Tx } from '../db/tx';
import { writeAudit } from './log';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('the audit log', () => {
  it('writes the target kind that the action implies, and the data it carries', async () => {
    await database.db.transaction().execute(async (tx) => {
      await writeAudit(tx, {
        actorId: null,
        action: 'idea.merged',
        targetId: 7,
        data: { into: 9, moved: 3, alreadyVoted: 1 },
      });
      await writeAudit(tx, { actorId: null, action: 'thread.deleted', targetId: 8 });
    });
    const rows = await database.db
      .selectFrom('audit_log')
      .select(['action', 'target_type', 'target_id', 'data'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { action: 'idea.merged', target_type: 'thread', target_id: 7, data: { into: 9, moved: 3, alreadyVoted: 1 } },
      { action: 'thread.deleted', target_type: 'thread', target_id: 8, data: {} },
    ]);
  });
});

/** Never called: `npm run check` fails if a wrong entry compiles. */
export async function entriesThatMustNotCompile(tx: Tx) {
  // @ts-expect-error an action that does not exist
  await writeAudit(tx, { actorId: null, action: 'idea.exploded', targetId: 1 });
  // @ts-expect-error data of another shape
  await writeAudit(tx, { actorId: null, action: 'idea.merged', targetId: 1, data: { into: 'nine' } });
  // @ts-expect-error data that the action needs is missing
  await writeAudit(tx, { actorId: null, action: 'user.role_changed', targetId: 1 });
}
