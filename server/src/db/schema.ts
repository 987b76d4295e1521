import type { Locale, Role } from '@fanlab/shared';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Timestamps come back as Date; they may be written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint identity columns (parsed as JS numbers, see db/connect.ts). */
type Id = ColumnType<number, never, never>;

export interface UsersTable {
  id: Id;
  username: string;
  email: string;
  password_hash: string;
  role: ColumnType<Role, Role | undefined, Role>;
  locale: Locale | null;
  created_at: DefaultedTimestamp;
  last_seen_at: Timestamp | null;
  password_changed_at: DefaultedTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  expires_at: Timestamp;
  created_at: DefaultedTimestamp;
}

export interface RateLimitsTable {
  key: string;
  window_ends_at: Timestamp;
  hits: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: number | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: DefaultedTimestamp;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  audit_log: AuditLogTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
