import { type Static, Type } from 'typebox';
import { ID_MAX } from './ids';

/**
 * Live channel protocol (websocket at /api/live). Channel names are `kind:key`,
 * e.g. `user:42` (your own account events). Each channel has a monotonic cursor;
 * subscribing with a cursor asks for everything after it.
 */
/** Keys are ids written one way only (no `01`, `1e0`, `0x1`): one channel, one name. */
export const CHANNEL_PATTERN = '^[a-z_]{1,32}:[1-9][0-9]{0,15}$';
export const ChannelName = Type.String({ pattern: CHANNEL_PATTERN, maxLength: 49 });

export const ClientMessage = Type.Union([
  Type.Object(
    {
      type: Type.Literal('subscribe'),
      channel: ChannelName,
      cursor: Type.Optional(Type.Integer({ minimum: 0, maximum: ID_MAX })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('unsubscribe'), channel: ChannelName }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
]);
export type ClientMessage = Static<typeof ClientMessage>;

export type ServerMessage =
  | { type: 'subscribed'; channel: string; cursor: number | null }
  | { type: 'unsubscribed'; channel: string }
  | { type: 'event'; channel: string; event: string; cursor: number | null; data: unknown }
  /** The server may have missed events (its database listener reconnected): re-subscribe with your cursors. */
  | { type: 'resync' }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; channel?: string };

/** Events on the `user:<id>` channel. */
export const UserChannelEvents = {
  /** Sessions of this user ended (sign-out, log out everywhere, password change) or its role changed. */
  sessionsRevoked: 'sessions_revoked',
} as const;
