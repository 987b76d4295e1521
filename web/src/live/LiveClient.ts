import type { ClientMessage, ServerMessage } from '@fanlab/shared';

/** The server closes a socket with this code when the session it was opened with has ended. */
export const CLOSE_SESSION_ENDED = 4001;
const OPEN = 1; // WebSocket.OPEN, without needing the global in tests

export interface LiveEvent {
  channel: string;
  event: string;
  /** The channel's cursor after this event (null for channels without history). */
  cursor: number | null;
  data: unknown;
}

export interface ChannelHandlers {
  onEvent?: (event: LiveEvent) => void;
  /**
   * The server confirmed the subscription (again after every reconnect). `resumed` is true when
   * it replayed everything after the cursor we sent; otherwise events may have been missed and
   * the caller should reload its data over HTTP.
   */
  onSubscribed?: (info: { cursor: number | null; resumed: boolean }) => void;
  /** The server refused the subscription (unknown channel, not allowed, signed out…). */
  onError?: (error: { code: string; message: string }) => void;
}

export interface LiveClientOptions {
  /** Defaults to ws(s)://<this host>/api/live. */
  url?: string;
  /**
   * Called when the server closed the socket because its session ended. Resolve true to
   * reconnect (still signed in, e.g. with a renewed cookie), false to stay disconnected.
   */
  onSessionEnded?: () => Promise<boolean>;
  createSocket?: (url: string) => WebSocket;
  /** First reconnect delay; doubles (with jitter) up to maxRetryMs. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** How often we ping; a socket that has not answered by the next ping is replaced. */
  heartbeatMs?: number;
  /** With no subscriptions left for this long, the socket closes. */
  idleMs?: number;
}

interface Channel {
  subscribers: Set<ChannelHandlers>;
  /** Newest cursor seen; sent on (re)subscribe so the server replays what we missed. */
  cursor: number | undefined;
  /** The cursor sent with the pending subscribe. */
  requested: number | undefined;
}

function defaultUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/live`;
}

/**
 * One websocket per tab to /api/live, shared by every feature: subscribe to channels with
 * handlers (and optionally a cursor), the client (re)connects while anything is subscribed,
 * re-subscribes with the newest cursors after a reconnect or a server `resync`, and drops
 * events it has already seen.
 */
export class LiveClient {
  private socket: WebSocket | null = null;
  private readonly channels = new Map<string, Channel>();
  private running = true;
  /** Waiting for onSessionEnded to decide whether to reconnect. */
  private paused = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private awaitingPong = false;
  private identity: string | undefined;

  constructor(private readonly options: LiveClientOptions = {}) {
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
  }

  /** Listens to a channel until the returned function is called. */
  subscribe(channel: string, handlers: ChannelHandlers, cursor?: number): () => void {
    const subscriber = { ...handlers };
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { subscribers: new Set(), cursor, requested: undefined };
      this.channels.set(channel, entry);
      this.sendSubscribe(channel, entry);
    }
    entry.subscribers.add(subscriber);
    this.clearIdleTimer();
    this.connect();
    const current = entry;
    return () => {
      current.subscribers.delete(subscriber);
      if (current.subscribers.size > 0 || this.channels.get(channel) !== current) return;
      this.channels.delete(channel);
      this.send({ type: 'unsubscribe', channel });
      if (this.channels.size === 0) this.closeWhenIdle();
    };
  }

  /**
   * The socket is authenticated by the session cookie when it opens: call this whenever the
   * signed-in user changes, and an open socket is replaced by one with the new identity.
   */
  setIdentity(identity: string): void {
    if (identity === this.identity) return;
    const known = this.identity !== undefined;
    this.identity = identity;
    if (known) this.reconnect();
  }

  /** Replaces the socket now (if anything is subscribed). */
  reconnect(): void {
    this.dropSocket();
    this.clearRetryTimer();
    this.paused = false;
    this.attempt = 0;
    this.connect();
  }

  /** Resumes after stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (typeof window !== 'undefined') window.addEventListener('online', this.onOnline);
    this.connect();
  }

  /** Closes the socket and stays disconnected until start(); subscriptions are kept. */
  stop(): void {
    this.running = false;
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onOnline);
    this.clearRetryTimer();
    this.clearIdleTimer();
    this.dropSocket();
  }

  get connected(): boolean {
    return this.socket?.readyState === OPEN;
  }

  private readonly onOnline = () => {
    if (this.socket || !this.retryTimer) return;
    this.clearRetryTimer();
    this.attempt = 0;
    this.connect();
  };

  private connect() {
    if (!this.running || this.paused || this.socket || this.retryTimer || this.channels.size === 0) return;
    const url = this.options.url ?? defaultUrl();
    const socket = this.options.createSocket ? this.options.createSocket(url) : new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.startHeartbeat();
      for (const [name, entry] of this.channels) this.sendSubscribe(name, entry);
    };
    socket.onmessage = (message) => {
      this.awaitingPong = false;
      if (typeof message.data === 'string') this.onMessage(message.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopHeartbeat();
      this.onClosed(event.code);
    };
    socket.onerror = () => {
      // a close event follows
    };
  }

  private onClosed(code: number) {
    if (!this.running) return;
    if (code !== CLOSE_SESSION_ENDED) {
      this.scheduleReconnect();
      return;
    }
    const decide = this.options.onSessionEnded;
    if (!decide) {
      this.scheduleReconnect();
      return;
    }
    this.paused = true;
    decide().then(
      (reconnect) => {
        if (!this.paused) return; // reconnect() or setIdentity() took over meanwhile
        this.paused = false;
        if (reconnect) this.scheduleReconnect();
      },
      () => {
        if (!this.paused) return;
        this.paused = false;
        this.scheduleReconnect();
      },
    );
  }

  private onMessage(text: string) {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'event': {
        const entry = this.channels.get(message.channel);
        if (!entry) return;
        if (message.cursor !== null) {
          if (entry.cursor !== undefined && message.cursor <= entry.cursor) return; // seen already
          entry.cursor = message.cursor;
        }
        const event: LiveEvent = {
          channel: message.channel,
          event: message.event,
          cursor: message.cursor,
          data: message.data,
        };
        for (const subscriber of [...entry.subscribers]) subscriber.onEvent?.(event);
        return;
      }
      case 'subscribed': {
        const entry = this.channels.get(message.channel);
        if (!entry) return;
        const resumed = entry.requested !== undefined && message.cursor !== null;
        if (message.cursor !== null && (entry.cursor === undefined || message.cursor > entry.cursor)) {
          entry.cursor = message.cursor;
        }
        for (const subscriber of [...entry.subscribers]) {
          subscriber.onSubscribed?.({ cursor: message.cursor, resumed });
        }
        return;
      }
      case 'resync':
        for (const [name, entry] of this.channels) this.sendSubscribe(name, entry);
        return;
      case 'error': {
        const entry = message.channel ? this.channels.get(message.channel) : undefined;
        if (!entry) return;
        for (const subscriber of [...entry.subscribers]) {
          subscriber.onError?.({ code: message.code, message: message.message });
        }
        return;
      }
      default:
        return; // pong, unsubscribed
    }
  }

  private sendSubscribe(channel: string, entry: Channel) {
    if (!this.connected) return; // sent on open
    entry.requested = entry.cursor;
    this.send(
      entry.cursor === undefined
        ? { type: 'subscribe', channel }
        : { type: 'subscribe', channel, cursor: entry.cursor },
    );
  }

  private send(message: ClientMessage) {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private scheduleReconnect() {
    if (!this.running || this.retryTimer || this.channels.size === 0) return;
    const min = this.options.minRetryMs ?? 500;
    const max = this.options.maxRetryMs ?? 30_000;
    const base = Math.min(max, min * 2 ** this.attempt);
    this.attempt++;
    const delay = base / 2 + Math.random() * (base / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  private startHeartbeat() {
    this.stopHeartbeat();
    this.awaitingPong = false;
    this.heartbeat = setInterval(() => {
      if (this.awaitingPong) {
        // No answer since the last ping: the connection is dead without having closed.
        this.dropSocket();
        this.scheduleReconnect();
        return;
      }
      this.awaitingPong = true;
      this.send({ type: 'ping' });
    }, this.options.heartbeatMs ?? 25_000);
  }

  private stopHeartbeat() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private closeWhenIdle() {
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.channels.size > 0) return;
      this.clearRetryTimer();
      this.dropSocket();
    }, this.options.idleMs ?? 1_000);
  }

  private clearIdleTimer() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private clearRetryTimer() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** Closes the socket without triggering reconnect logic. */
  private dropSocket() {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    this.stopHeartbeat();
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    try {
      socket.close(1000);
    } catch {
      // already closing
    }
  }
}
