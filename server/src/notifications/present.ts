import type { Notification } from '@fanlab/shared';
import type { ShapedRow } from './queries';

export function toNotification(r: ShapedRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    actor: r.actor_id !== null && r.actor_username !== null ? { id: r.actor_id, username: r.actor_username } : null,
    actorCount: r.actor_count,
    threadId: r.thread_id,
    threadTitle: r.thread_title,
    postNumber: r.post_number,
    read: r.read_at !== null,
    data: r.kind === 'like' ? {} : r.data,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    seq: r.seq,
  };
}
