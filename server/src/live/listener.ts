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

  constructor(
    private readonly url: string,
    private readonly onMessage: (message: LiveMessage) => void,
    private readonly onResync: () => void,
    private readonly log: FastifyBaseLogger,
    /** A connection attempt that takes longer fails and is retried (a server that accepts but never answers). */
    private readonly connectTimeoutMs = 5_000,
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
      this.reconnectSoon();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      if (n.channel !== PG_CHANNEL || !n.payload) return;
      try {
        this.onMessage(JSON.parse(n.payload) as LiveMessage);
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
