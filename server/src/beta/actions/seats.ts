import { sql } from 'kysely';
import type { BetaProgramRow } from '../../db/schema';
import type { Tx } from '../../db/tx';
import { notifyMany } from '../../notifications/actions';
import { publishSeats } from '../channel';

/*
 * Seats: taking and freeing them, the line, and giving free seats to the line (fillSeats). The rules of beta programs. Seats are never oversold: every rule that changes who holds a seat
 * or a place in line (apply, withdraw, decide, edit seats) first locks the program row FOR
 * UPDATE, so for one program they run one at a time, in commit order; the accepted counts (on
 * the program and on each model row) carry CHECKs that make overselling fail even if a rule were
 * wrong. docs/beta.md has the whole argument.
 */

/** Moves the program's live cursor on and announces its seats (delivered at commit). */
export async function bumpSeats(tx: Tx, programId: number) {
  await tx
    .updateTable('beta_programs')
    .set((eb) => ({ seats_version: eb('seats_version', '+', 1) }))
    .where('id', '=', programId)
    .execute();
  await publishSeats(tx, programId);
}

export const programRef = (p: Pick<BetaProgramRow, 'id' | 'slug' | 'name'>) => ({
  programId: p.id,
  programSlug: p.slug,
  programName: p.name,
});

/**
 * Gives free seats to the waitlist, first in line first: each time the first waitlisted
 * application whose device model still has room (its quota), until no seat is left or nobody
 * fits. Called with the program row locked, in the transaction that freed the seats, so a freed
 * seat is never seen free by anyone else. Each promoted member is notified (live, at commit).
 */
export async function fillSeats(tx: Tx, programId: number, actorId: number | null): Promise<number[]> {
  const promoted: number[] = [];
  for (;;) {
    const program = await tx
      .selectFrom('beta_programs')
      .select(['id', 'slug', 'name', 'seats', 'accepted_count'])
      .where('id', '=', programId)
      .executeTakeFirstOrThrow();
    if (program.accepted_count >= program.seats) break;
    const next = await tx
      .selectFrom('beta_applications as a')
      .innerJoin('beta_program_devices as d', (j) =>
        j.onRef('d.program_id', '=', 'a.program_id').onRef('d.model', '=', 'a.device_model'),
      )
      .select(['a.id', 'a.user_id', 'a.device_model'])
      .where('a.program_id', '=', programId)
      .where('a.status', '=', 'waitlisted')
      .where((eb) => eb.or([eb('d.quota', 'is', null), eb('d.accepted_count', '<', eb.ref('d.quota'))]))
      .orderBy('a.waitlist_seq')
      .limit(1)
      .executeTakeFirst();
    if (!next) break;
    const testerNumber = await takeSeat(tx, programId, next.device_model);
    await tx
      .updateTable('beta_applications')
      .set({
        status: 'accepted',
        tester_number: testerNumber,
        decided_at: sql<Date>`now()`,
        decided_by: null,
        reason: null,
      })
      .where('id', '=', next.id)
      .execute();
    await notifyMany(tx, {
      userIds: [next.user_id],
      kind: 'beta_waitlisted_promoted',
      threadId: null,
      actorId,
      data: { ...programRef(program), testerNumber },
    });
    promoted.push(next.id);
  }
  return promoted;
}

/**
 * Takes one seat (the program's and the model's counts up, the next tester number): the caller
 * checked there is one and holds the program lock. The CHECKs refuse an oversold count anyway.
 */
export async function takeSeat(tx: Tx, programId: number, model: string): Promise<number> {
  const program = await tx
    .updateTable('beta_programs')
    .set((eb) => ({
      accepted_count: eb('accepted_count', '+', 1),
      next_tester_number: eb('next_tester_number', '+', 1),
    }))
    .where('id', '=', programId)
    .returning(sql<number>`next_tester_number - 1`.as('number'))
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('beta_program_devices')
    .set((eb) => ({ accepted_count: eb('accepted_count', '+', 1) }))
    .where('program_id', '=', programId)
    .where('model', '=', model)
    .execute();
  return program.number;
}

/** Gives a seat back (a tester withdrew or was removed). */
export async function freeSeat(tx: Tx, programId: number, model: string) {
  await tx
    .updateTable('beta_programs')
    .set((eb) => ({ accepted_count: eb('accepted_count', '-', 1) }))
    .where('id', '=', programId)
    .execute();
  await tx
    .updateTable('beta_program_devices')
    .set((eb) => ({ accepted_count: eb('accepted_count', '-', 1) }))
    .where('program_id', '=', programId)
    .where('model', '=', model)
    .execute();
}

/** The next place in line (under the program lock: its order is the commit order). */
export async function nextInLine(tx: Tx, programId: number): Promise<number> {
  const row = await tx
    .updateTable('beta_programs')
    .set((eb) => ({ waitlist_seq: eb('waitlist_seq', '+', 1) }))
    .where('id', '=', programId)
    .returning('waitlist_seq')
    .executeTakeFirstOrThrow();
  return row.waitlist_seq;
}

/** Whether the program has a seat for this model now (its total and the model's quota). */
export async function hasSeat(tx: Tx, program: Pick<BetaProgramRow, 'id' | 'seats' | 'accepted_count'>, model: string) {
  if (program.accepted_count >= program.seats) return false;
  const device = await tx
    .selectFrom('beta_program_devices')
    .select(['quota', 'accepted_count'])
    .where('program_id', '=', program.id)
    .where('model', '=', model)
    .executeTakeFirstOrThrow();
  return device.quota === null || device.accepted_count < device.quota;
}
