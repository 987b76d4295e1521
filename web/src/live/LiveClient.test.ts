import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_SESSION_ENDED, LiveClient, type LiveEvent } from './LiveClient';

/** Just enough of a browser WebSocket for the client. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  // test helpers
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const latest = () => {
  const socket = FakeSocket.all.at(-1);
  if (!socket) throw new Error('no socket');
  return socket;
};

function client(options: ConstructorParameters<typeof LiveClient>[0] = {}) {
  return new LiveClient({
    url: 'ws://test/api/live',
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    minRetryMs: 100,
    maxRetryMs: 1_000,
    ...options,
  });
}

describe('LiveClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects only while something is subscribed, and subscribes on open', () => {
    const live = client();
    expect(FakeSocket.all).toHaveLength(0);
    const unsubscribe = live.subscribe('user:1', {});
    latest().open();
    expect(latest().sent).toEqual([{ type: 'subscribe', channel: 'user:1' }]);
    unsubscribe();
    expect(latest().sent.at(-1)).toEqual({ type: 'unsubscribe', channel: 'user:1' });
    vi.advanceTimersByTime(2_000);
    expect(latest().closedWith).toBe(1000);
    live.stop();
  });

  it('delivers events once and re-subscribes with the newest cursor after a drop', () => {
    const live = client();
    const events: LiveEvent[] = [];
    live.subscribe('idea:7', { onEvent: (event) => events.push(event) }, 3);
    latest().open();
    expect(latest().sent).toEqual([{ type: 'subscribe', channel: 'idea:7', cursor: 3 }]);
    latest().receive({ type: 'event', channel: 'idea:7', event: 'voted', cursor: 4, data: {} });
    latest().receive({ type: 'event', channel: 'idea:7', event: 'voted', cursor: 4, data: {} });
    latest().receive({ type: 'event', channel: 'idea:7', event: 'voted', cursor: 3, data: {} });
    expect(events.map((event) => event.cursor)).toEqual([4]);

    const first = latest();
    first.serverClose(1006);
    vi.advanceTimersByTime(1_000);
    expect(latest()).not.toBe(first);
    latest().open();
    expect(latest().sent).toEqual([{ type: 'subscribe', channel: 'idea:7', cursor: 4 }]);
    live.stop();
  });

  it('re-subscribes on resync and reports whether it resumed', () => {
    const live = client();
    const subscribed: boolean[] = [];
    live.subscribe('idea:7', { onSubscribed: ({ resumed }) => subscribed.push(resumed) }, 3);
    latest().open();
    latest().receive({ type: 'subscribed', channel: 'idea:7', cursor: 5 });
    latest().receive({ type: 'resync' });
    expect(latest().sent.at(-1)).toEqual({ type: 'subscribe', channel: 'idea:7', cursor: 5 });
    latest().receive({ type: 'subscribed', channel: 'idea:7', cursor: null });
    expect(subscribed).toEqual([true, false]);
    live.stop();
  });

  it('asks before reconnecting when the server ended the session', async () => {
    let keepGoing = false;
    const onSessionEnded = vi.fn(async () => keepGoing);
    const live = client({ onSessionEnded });
    live.subscribe('user:1', {});
    latest().open();
    latest().serverClose(CLOSE_SESSION_ENDED);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    expect(FakeSocket.all).toHaveLength(1); // signed out: stays disconnected

    keepGoing = true;
    live.reconnect();
    latest().open();
    latest().serverClose(CLOSE_SESSION_ENDED);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(FakeSocket.all).toHaveLength(3); // still signed in (renewed cookie): reconnected
    live.stop();
  });

  it('passes refusals to the channel and replaces the socket when the identity changes', () => {
    const live = client();
    const errors: string[] = [];
    live.setIdentity('anonymous');
    live.subscribe('user:1', { onError: (error) => errors.push(error.code) });
    latest().open();
    latest().receive({ type: 'error', code: 'unauthenticated', message: 'no', channel: 'user:1' });
    expect(errors).toEqual(['unauthenticated']);
    const first = latest();
    live.setIdentity('user:1');
    expect(first.closedWith).toBe(1000);
    expect(latest()).not.toBe(first);
    live.stop();
  });

  it('replaces a socket that stops answering pings', () => {
    const live = client({ heartbeatMs: 1_000 });
    live.subscribe('user:1', {});
    const first = latest();
    first.open();
    vi.advanceTimersByTime(1_000);
    expect(first.sent.at(-1)).toEqual({ type: 'ping' });
    vi.advanceTimersByTime(1_000);
    expect(first.closedWith).toBe(1000);
    vi.advanceTimersByTime(1_000);
    expect(latest()).not.toBe(first);
    live.stop();
  });
});
