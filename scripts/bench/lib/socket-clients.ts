// The websocket subscribers of `npm run bench:notify` phase C, in a process of their own so that
// their reading does not count as the server's sending. Forked by scripts/bench/notify.ts with
// BENCH_WS_URL, BENCH_SOCKETS and BENCH_CHANNELS (comma-separated): opens the sockets, subscribes
// each to every channel (the live protocol, as the web client does), answers `ready`, then counts
// events and answers `done` with the count and the arrival time of the last one
// (performance.timeOrigin + performance.now()) once `expect` events have arrived or on `stop`.
import { performance } from 'node:perf_hooks';
import type { ServerMessage } from '@fanlab/shared';
import WebSocket from 'ws';

async function main() {
  const url = process.env.BENCH_WS_URL;
  const count = Number(process.env.BENCH_SOCKETS);
  const channels = (process.env.BENCH_CHANNELS ?? '').split(',').filter(Boolean);
  if (!url || !process.send || !count || !channels.length) throw new Error('run by scripts/bench/notify.ts');
  let events = 0;
  let lastAt = 0;
  let expect = Number.POSITIVE_INFINITY;
  const report = () => process.send?.({ type: 'done', events, lastAt });
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { origin: 'http://127.0.0.1' } });
      let confirmed = 0;
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as ServerMessage;
        if (m.type === 'subscribed' && ++confirmed === channels.length) resolve(ws);
        else if (m.type === 'event') {
          events++;
          lastAt = performance.timeOrigin + performance.now();
          if (events === expect) report();
        } else if (m.type === 'error') reject(new Error(`subscribe refused: ${m.code}`));
      });
      ws.once('open', () => {
        for (const channel of channels) ws.send(JSON.stringify({ type: 'subscribe', channel }));
      });
      ws.once('error', reject);
    });
  const sockets: WebSocket[] = [];
  for (let from = 0; from < count; from += 200) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(200, count - from) }, open))));
  }
  process.on('message', (m: { type: string; expect?: number }) => {
    if (m.type === 'expect') {
      expect = m.expect ?? expect;
      if (events >= expect) report();
    } else if (m.type === 'stop') {
      report();
      for (const ws of sockets) ws.terminate();
      setTimeout(() => process.exit(0), 100);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready' });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
