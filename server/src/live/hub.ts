import { ClientMessage, type ServerMessage, UserChannelEvents } from '@fanlab/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { User } from 'lucia';
import { Compile } from 'typebox/compile';
import type { WebSocket } from 'ws';
import type { LiveMessage } from '../db/bus';
import type { Db } from '../db/connect';
import { isDatabaseUnavailable } from '../db/unavailable';

/** What a kind of channel (`user`, later `idea`, `thread`…) tells the hub. */
export interface ChannelKind {
  /** May this user (null: anonymous) read channel `kind:key`? */
  authorize(user: User | null, key: string, db: Db): boolean | Promise<boolean>;
  /**
   * Events after `cursor`, oldest first, and the channel's current cursor; or null when the
   * client is too far behind and must reload a fresh snapshot over HTTP. Channels that keep
   * no history omit this.
   */
  catchUp?(db: Db, key: string, cursor: number): Promise<{ events: LiveMessage[]; cursor: number } | null>;
  /**
   * Throttle for channels whose events are states (a vote count): at most one event per this
   * many ms per channel reaches clients, the first at once and the newest at the end.
   */
  coalesceMs?: number;
}

interface Throttle {
  lastSentAt: number;
  pending: LiveMessage | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Which of these sessions (sessionKey()s) are still live, mapped to their user's current role.
 * Ended, expired and suspended sessions are missing.
 */
export type SessionCheck = (sessionKeys: string[]) => Promise<Map<string, string>>;

export interface HubOptions {
  /** A socket whose unsent data passes this many bytes is dropped instead of buffered. */
  maxBufferedBytes: number;
  /** Ping period; a socket that did not answer the previous ping is dropped. */
  pingIntervalMs: number;
  maxChannelsPerSocket: number;
  /**
   * How often the sessions behind open sockets are checked again (expiry, suspension, role, and
   * any revocation a process missed while its listener was down).
   */
  sessionCheckIntervalMs: number;
  /** Open sockets allowed per client address (generous: carriers put many phones behind one). */
  maxSocketsPerIp: number;
  /** Open sockets allowed per signed-in user (tabs and devices). */
  maxSocketsPerUser: number;
  /** Messages a socket may send per second on average (a token bucket)… */
  messagesPerSecond: number;
  /** …and in a burst (a reconnecting client re-subscribes to all its channels at once). */
  messageBurst: number;
}

interface Client {
  ws: WebSocket;
  user: User | null;
  /** sessionKey() of the session the socket was opened with. */
  sessionKey: string | null;
  ip: string;
  channels: Set<string>;
  /** Channels being authorised: they hold a slot of maxChannelsPerSocket meanwhile. */
  pending: Set<string>;
  alive: boolean;
  /** Message tokens left, and when they were last refilled. */
  tokens: number;
  refilledAt: number;
}

export const CLOSE_SESSION_ENDED = 4001;
/** Closed for sending far more messages than any client of ours does. */
export const CLOSE_TOO_MANY_MESSAGES = 4008;
const checkClientMessage = Compile(ClientMessage);

/** This process's websocket clients and their subscriptions; fed by the PostgreSQL listener. */
export class LiveHub {
  private readonly kinds = new Map<string, ChannelKind>();
  private readonly clients = new Set<Client>();
  private readonly subscribers = new Map<string, Set<Client>>();
  private readonly throttles = new Map<string, Throttle>();
  private readonly socketsPerIp = new Map<string, number>();
  private readonly socketsPerUser = new Map<number, number>();
  private readonly pingTimer: NodeJS.Timeout;
  private readonly sessionTimer: NodeJS.Timeout;
  private checkingSessions = false;

  constructor(
    private readonly db: Db,
    private readonly options: HubOptions,
    private readonly log: FastifyBaseLogger,
    private readonly checkSessions: SessionCheck,
  ) {
    this.pingTimer = setInterval(() => this.pingAll(), options.pingIntervalMs);
    this.pingTimer.unref();
    this.sessionTimer = setInterval(() => void this.recheckSessions(), options.sessionCheckIntervalMs);
    this.sessionTimer.unref();
  }

  registerKind(kind: string, definition: ChannelKind) {
    this.kinds.set(kind, definition);
  }

  get clientCount() {
    return this.clients.size;
  }

  /** The keys of this process's subscribed channels of one kind (`user` → ['12', '40', …]). */
  subscribedKeys(kind: string): string[] {
    const prefix = `${kind}:`;
    const keys: string[] = [];
    for (const channel of this.subscribers.keys())
      if (channel.startsWith(prefix)) keys.push(channel.slice(prefix.length));
    return keys;
  }

  /**
   * Why a new socket from `ip` (for `user`) may not open, or null. Checked before the upgrade, so
   * one address or account cannot hold sockets without bound.
   */
  refuseSocket(ip: string, user: User | null): string | null {
    if ((this.socketsPerIp.get(ip) ?? 0) >= this.options.maxSocketsPerIp) {
      return `At most ${this.options.maxSocketsPerIp} live connections per address.`;
    }
    if (user && (this.socketsPerUser.get(user.id) ?? 0) >= this.options.maxSocketsPerUser) {
      return `At most ${this.options.maxSocketsPerUser} live connections per account: close a tab.`;
    }
    return null;
  }

  /** Takes over a freshly upgraded socket. */
  accept(ws: WebSocket, user: User | null, sessionKey: string | null, ip: string) {
    const client: Client = {
      ws,
      user,
      sessionKey,
      ip,
      channels: new Set(),
      pending: new Set(),
      alive: true,
      tokens: this.options.messageBurst,
      refilledAt: Date.now(),
    };
    this.clients.add(client);
    this.socketsPerIp.set(ip, (this.socketsPerIp.get(ip) ?? 0) + 1);
    if (user) this.socketsPerUser.set(user.id, (this.socketsPerUser.get(user.id) ?? 0) + 1);
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('message', (raw, isBinary) => {
      void this.onClientMessage(client, isBinary ? null : raw.toString()).catch((err) => {
        if (isDatabaseUnavailable(err)) {
          // after an outage the listener's reconnect sends `resync`, and the client subscribes again
          this.log.warn({ err: { message: (err as Error).message } }, 'live message: database unavailable');
          this.send(client, {
            type: 'error',
            code: 'unavailable',
            message: 'The database is not reachable right now.',
          });
          return;
        }
        this.log.error({ err }, 'live message handling failed');
        this.send(client, { type: 'error', code: 'internal_error', message: 'Something went wrong.' });
      });
    });
    ws.on('close', () => this.drop(client));
    ws.on('error', () => this.drop(client));
  }

  /** Fans a message from PostgreSQL out to this process's subscribers. */
  deliver(message: LiveMessage) {
    if (message.event === UserChannelEvents.sessionsRevoked && message.channel.startsWith('user:')) {
      this.endSessions(Number(message.channel.slice('user:'.length)), message);
      return;
    }
    if (!this.subscribers.has(message.channel)) return;
    const coalesceMs = this.kinds.get(message.channel.slice(0, message.channel.indexOf(':')))?.coalesceMs;
    if (coalesceMs) this.throttle(message, coalesceMs);
    else this.fanOut(message);
  }

  private fanOut(message: LiveMessage) {
    const subs = this.subscribers.get(message.channel);
    if (!subs) return;
    const frame = JSON.stringify({ type: 'event', ...message } satisfies ServerMessage);
    for (const client of subs) this.sendRaw(client, frame);
  }

  /** Leading and trailing throttle per channel: keeps only the newest pending state. */
  private throttle(message: LiveMessage, everyMs: number) {
    const now = Date.now();
    const state = this.throttles.get(message.channel) ?? { lastSentAt: 0, pending: undefined, timer: undefined };
    this.throttles.set(message.channel, state);
    const newer = !state.pending || (message.cursor ?? 0) >= (state.pending.cursor ?? 0);
    if (newer) state.pending = message;
    if (state.timer) return;
    const wait = state.lastSentAt + everyMs - now;
    if (wait <= 0) {
      this.flushThrottle(message.channel, state);
      return;
    }
    state.timer = setTimeout(() => this.flushThrottle(message.channel, state), wait);
  }

  private flushThrottle(channel: string, state: Throttle) {
    state.timer = undefined;
    if (!state.pending) {
      this.throttles.delete(channel);
      return;
    }
    const message = state.pending;
    state.pending = undefined;
    state.lastSentAt = Date.now();
    this.fanOut(message);
    // forget the channel once it has been quiet for a whole period
    state.timer = setTimeout(() => this.flushThrottle(channel, state), this.coalesceOf(channel));
  }

  private coalesceOf(channel: string) {
    return this.kinds.get(channel.slice(0, channel.indexOf(':')))?.coalesceMs ?? 0;
  }

  /** The database listener reconnected: events may have been missed, so clients re-subscribe with cursors. */
  resync() {
    const frame = JSON.stringify({ type: 'resync' } satisfies ServerMessage);
    for (const client of this.clients) this.sendRaw(client, frame);
  }

  close() {
    clearInterval(this.pingTimer);
    clearInterval(this.sessionTimer);
    for (const state of this.throttles.values()) clearTimeout(state.timer);
    this.throttles.clear();
    for (const client of this.clients) client.ws.close(1001, 'server shutting down');
  }

  /** Takes a message token; false when the socket is over its rate (it is then closed). */
  private takeToken(client: Client): boolean {
    const now = Date.now();
    const { messagesPerSecond, messageBurst } = this.options;
    client.tokens = Math.min(messageBurst, client.tokens + ((now - client.refilledAt) / 1000) * messagesPerSecond);
    client.refilledAt = now;
    if (client.tokens >= 1) {
      client.tokens -= 1;
      return true;
    }
    return false;
  }

  private async onClientMessage(client: Client, text: string | null) {
    if (!this.clients.has(client)) return;
    if (!this.takeToken(client)) {
      // No client of ours comes near this: a flood would only reach the database.
      this.send(client, { type: 'error', code: 'rate_limited', message: 'Too many messages: slow down.' });
      client.ws.close(CLOSE_TOO_MANY_MESSAGES, 'too many messages');
      this.drop(client);
      return;
    }
    let message: unknown;
    try {
      message = text === null ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (!checkClientMessage.Check(message)) {
      this.send(client, { type: 'error', code: 'invalid_message', message: 'Unknown or malformed message.' });
      return;
    }
    switch (message.type) {
      case 'ping':
        this.send(client, { type: 'pong' });
        return;
      case 'unsubscribe':
        this.unsubscribe(client, message.channel);
        this.send(client, { type: 'unsubscribed', channel: message.channel });
        return;
      case 'subscribe':
        await this.subscribe(client, message.channel, message.cursor);
        return;
    }
  }

  private async subscribe(client: Client, channel: string, cursor: number | undefined) {
    const separator = channel.indexOf(':');
    const kind = this.kinds.get(channel.slice(0, separator));
    const key = channel.slice(separator + 1);
    const refuse = (code: string, message: string) => this.send(client, { type: 'error', code, message, channel });
    if (!kind) return refuse('unknown_channel', `There is no channel ${channel}.`);
    // The same subscription twice at once: the first answers.
    if (client.pending.has(channel)) return;
    const held = client.channels.has(channel);
    if (!held && client.channels.size + client.pending.size >= this.options.maxChannelsPerSocket) {
      return refuse('too_many_channels', `At most ${this.options.maxChannelsPerSocket} channels per connection.`);
    }
    if (!held) {
      // The slot is taken before the await, so a burst of subscribes cannot pass the limit.
      client.pending.add(channel);
      let allowed: boolean;
      try {
        allowed = await kind.authorize(client.user, key, this.db);
      } finally {
        client.pending.delete(channel);
      }
      if (!allowed) return refuse(client.user ? 'forbidden' : 'unauthenticated', `You may not read ${channel}.`);
    }
    if (client.ws.readyState !== client.ws.OPEN || !this.clients.has(client)) return;
    // Subscribe first, then catch up: an event committed in between arrives twice at worst,
    // and clients ignore events whose cursor is not newer than theirs. A channel already held is
    // not authorised again (its rights end with the socket, see endSessions/recheckSessions).
    client.channels.add(channel);
    const subs = this.subscribers.get(channel) ?? new Set<Client>();
    this.subscribers.set(channel, subs);
    subs.add(client);

    if (cursor === undefined || !kind.catchUp) {
      this.send(client, { type: 'subscribed', channel, cursor: null });
      return;
    }
    const missed = await kind.catchUp(this.db, key, cursor);
    if (!missed) {
      this.send(client, { type: 'subscribed', channel, cursor: null });
      return;
    }
    for (const event of missed.events) this.send(client, { type: 'event', ...event });
    this.send(client, { type: 'subscribed', channel, cursor: missed.cursor });
  }

  private unsubscribe(client: Client, channel: string) {
    client.channels.delete(channel);
    const subs = this.subscribers.get(channel);
    subs?.delete(client);
    if (subs?.size === 0) this.subscribers.delete(channel);
  }

  /**
   * Sessions of the user ended (or its rights changed): the sockets opened with them close (the
   * client reconnects and re-authenticates). `data.sessions` names the ended sessions; without it
   * every socket of the user closes, except those of a session handed over to a new id
   * (password change on that device).
   */
  private endSessions(userId: number, message: LiveMessage) {
    const { handover, sessions } = message.data as {
      handover?: { from: string; to: string };
      sessions?: string[];
    };
    const frame = JSON.stringify({ type: 'event', ...message, data: {} } satisfies ServerMessage);
    for (const client of this.clients) {
      if (client.user?.id !== userId) continue;
      if (sessions && !(client.sessionKey && sessions.includes(client.sessionKey))) continue;
      if (handover && client.sessionKey === handover.from) {
        client.sessionKey = handover.to;
        continue;
      }
      this.endClientSession(client, frame);
    }
  }

  private endClientSession(client: Client, frame?: string) {
    if (frame) this.sendRaw(client, frame);
    client.ws.close(CLOSE_SESSION_ENDED, 'session ended');
    // No more events for it, whatever the peer does with the close frame.
    this.drop(client);
  }

  /**
   * Closes the sockets whose session has ended without a message reaching this process: expired,
   * suspended, deleted while the listener was down, or whose user's role changed. One query for
   * every signed-in socket of the process.
   */
  async recheckSessions(): Promise<void> {
    if (this.checkingSessions) return;
    const signedIn = [...this.clients].filter((c) => c.user && c.sessionKey);
    if (!signedIn.length) return;
    this.checkingSessions = true;
    try {
      const live = await this.checkSessions([...new Set(signedIn.map((c) => c.sessionKey as string))]);
      for (const client of signedIn) {
        const role = client.sessionKey ? live.get(client.sessionKey) : undefined;
        if (!this.clients.has(client) || role === client.user?.role) continue;
        this.endClientSession(client);
      }
    } catch (err) {
      this.log.warn({ err }, 'could not re-check the sessions of live sockets');
    } finally {
      this.checkingSessions = false;
    }
  }

  private send(client: Client, message: ServerMessage) {
    this.sendRaw(client, JSON.stringify(message));
  }

  private sendRaw(client: Client, frame: string) {
    if (client.ws.readyState !== client.ws.OPEN) return;
    if (client.ws.bufferedAmount > this.options.maxBufferedBytes) {
      // A reader this slow would make us hold ever more memory: drop it; it reconnects and catches up.
      this.log.info({ buffered: client.ws.bufferedAmount }, 'dropping slow live socket');
      client.ws.terminate();
      this.drop(client);
      return;
    }
    client.ws.send(frame);
  }

  private pingAll() {
    for (const client of this.clients) {
      if (!client.alive) {
        client.ws.terminate();
        this.drop(client);
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }

  private drop(client: Client) {
    if (!this.clients.delete(client)) return;
    for (const channel of client.channels) this.unsubscribe(client, channel);
    decrement(this.socketsPerIp, client.ip);
    if (client.user) decrement(this.socketsPerUser, client.user.id);
  }
}

function decrement<K>(counts: Map<K, number>, key: K) {
  const left = (counts.get(key) ?? 1) - 1;
  if (left <= 0) counts.delete(key);
  else counts.set(key, left);
}
