import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { UserRow } from '../db/schema';

export async function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  const column = login.includes('@') ? 'email' : 'username';
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(${sql.ref(column)})`, '=', login.toLowerCase())
    .executeTakeFirst();
}
