import { NotificationEvents } from '@fanlab/shared';
import { sql } from 'kysely';
import { PG_CHANNEL } from '../db/bus';

/**
 * The `announced` CTE of a statement whose `inserted` CTE wrote notifications (`returning *,
 * <fresh> as fresh`; fresh: a new row, not a grouped one that gained a post): each one announced on
 * its user's live channel, as `notify` would (delivered at commit). Its unread count adds the new
 * rows: the statement's own subquery does not see them.
 */
export const announceInserted = sql`announced as (
      select pg_notify(${PG_CHANNEL}, json_build_object(
        'channel', 'user:' || i.user_id,
        'event', ${NotificationEvents.changed}::text,
        'cursor', i.seq,
        'data', json_build_object(
          'notification', json_build_object(
            'id', i.id, 'kind', i.kind,
            'actor', case when a.id is null then null else json_build_object('id', a.id, 'username', a.username) end,
            'actorCount', i.actor_count, 'threadId', i.thread_id, 'threadTitle', t.title, 'postNumber', p.post_number,
            'read', false, 'data', i.data,
            'createdAt', to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'updatedAt', to_char(i.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'seq', i.seq),
          'unreadCount', (select count(*) from notifications n where n.user_id = i.user_id and n.read_at is null)
                         + case when i.fresh then 1 else 0 end)
      )::text)
      from inserted i
      left join users a on a.id = i.actor_id
      left join threads t on t.id = i.thread_id
      left join posts p on p.id = i.post_id
    )`;
