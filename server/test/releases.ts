import type { Db } from '../src/db/connect';

/**
 * Waits until every release fan-out job is done: the app's worker delivers them in the
 * background after the publishing transaction commits (releases/fanout.ts).
 */
export async function fannedOut(db: Db, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await db
      .selectFrom('release_fanouts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('done_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) return;
    if (Date.now() > deadline) throw new Error('the release fan-out did not finish');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
