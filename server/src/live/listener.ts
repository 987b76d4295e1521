import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { type LiveMessage, PG_CHANNEL } from '../db/bus';

/**
 * One dedicated connection per process that LISTENs for live messages. When the connection
 * drops it reconnects with backoff and calls `onResync`, because notifications sent while it
 * was away are lost: clients then catch up from their cursors.
 */
export class PgListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retryDelay = 250;
  private timer: NodeJS.Timeout | undefined;
  private connectedOnce = false;
  /** This process's fences in flight (fence()), by number. */
  private readonly fences = new Map<number, () => void>();
  private fenceCount = 0;
  private readonly fenceChannel = `fence:${process.pid}:${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly url: string,
    private readonly onMessage: (message: LiveMessage) => void,
    private readonly onResync: () => void,
    private readonly log: FastifyBaseLogger,
    /** A connection attempt that takes longer fails and is retried (a server that accepts but never answers). */
    private readonly connectTimeoutMs = 5_000,
    /** The connection is gone: announcements are being missed until onResync. */
    private readonly onLost: () => void = () => {},
  ) {}

  /** Resolves once the first LISTEN is in place. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.connectTimeoutMs,
      // this connection only ever reads: keepalive probes notice a server that vanished
      keepAlive: true,
    });
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      if (err) this.log.warn({ err }, 'live listener connection failed');
      this.onLost();
      this.reconnectSoon();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      if (n.channel !== PG_CHANNEL || !n.payload) return;
      try {
        const message = JSON.parse(n.payload) as LiveMessage;
        if (message.channel.startsWith('fence:')) {
          if (message.channel === this.fenceChannel) this.fenceHeard(message.data as number);
          return;
        }
        this.onMessage(message);
      } catch (err) {
        this.log.error({ err }, 'bad live payload');
      }
    });
    this.client = client;
    await client.connect();
    await client.query(`listen ${PG_CHANNEL}`);
    this.retryDelay = 250;
    if (this.connectedOnce) this.onResync();
    this.connectedOnce = true;
  }

  /**
   * Resolves once every announcement committed before the call has reached onMessage: a
   * notification of our own, sent with `send` (a pooled connection: this one only listens), goes
   * round through PostgreSQL, which delivers notifications in commit order. Rejects after
   * `timeoutMs` or at once while disconnected.
   */
  fence(send: (channel: string, payload: string) => Promise<unknown>, timeoutMs = 5_000): Promise<void> {
    if (!this.client) return Promise.reject(new Error('the live listener is not connected'));
    const n = ++this.fenceCount;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fences.delete(n);
        reject(new Error(`no answer from the live listener within ${timeoutMs} ms`));
      }, timeoutMs);
      this.fences.set(n, () => {
        clearTimeout(timer);
        resolve();
      });
      const message: LiveMessage = { channel: this.fenceChannel, event: 'fence', cursor: null, data: n };
      send(PG_CHANNEL, JSON.stringify(message)).catch((err: Error) => {
        this.fences.delete(n);
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  private fenceHeard(n: number) {
    // fences are answered in order: an earlier one still waiting is answered by a later one too
    for (const [k, done] of this.fences) {
      if (k > n) break;
      this.fences.delete(k);
      done();
    }
  }

  private reconnectSoon() {
    if (this.closed || this.timer) return;
    this.client?.end().catch(() => {});
    this.client = undefined;
    this.timer = setTimeout(async () => {
      this.timer = undefined;
      try {
        await this.connect();
      } catch (err) {
        this.log.warn({ err }, 'live listener reconnect failed');
        this.retryDelay = Math.min(this.retryDelay * 2, 5_000);
        this.reconnectSoon();
      }
    }, this.retryDelay);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.end().catch(() => {});
  }
}
