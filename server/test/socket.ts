import type { ServerMessage } from '@fanlab/shared';
import WebSocket from 'ws';

/** A websocket test client that records every message and can wait for one. */
export class TestSocket {
  readonly messages: ServerMessage[] = [];
  closeCode: number | undefined;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  static open(
    baseUrl: string,
    options: { cookie?: string; origin?: string | null; autoPong?: boolean } = {},
  ): Promise<TestSocket> {
    const origin = options.origin === undefined ? baseUrl : options.origin;
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/live`, {
      headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...(origin ? { origin } : {}) },
      autoPong: options.autoPong ?? true,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(message: unknown) {
    this.ws.send(JSON.stringify(message));
  }

  /** Subscribes and waits for the confirmation. */
  async subscribe(channel: string, cursor?: number) {
    this.send({ type: 'subscribe', channel, ...(cursor === undefined ? {} : { cursor }) });
    return this.next((m) => m.type === 'subscribed' && m.channel === channel);
  }

  /** Resolves with the first recorded message (from `from` on) that matches. */
  async next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs?: number): Promise<T>;
  async next(match: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  async next(match: (m: ServerMessage) => boolean, timeoutMs = 5_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching message; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async closed(timeoutMs = 5_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closeCode;
  }

  close() {
    this.ws.terminate();
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
