// One listening "replica" for `npm run bench:notify`: a Node process of its own holding the
// server's PgListener (one dedicated connection, `LISTEN fanlab_live`, JSON.parse of every
// payload), recording when each idea announcement arrived. scripts/bench/notify.ts forks it
// (IPC channel): it answers `ready` once LISTEN is in place, and on `stop` writes what it
// recorded to the given file as float64 triples (idea id, vote version, arrival time in ms since
// the epoch: performance.timeOrigin + performance.now(), the clock the benchmark uses too).
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import type { LiveMessage } from '../../../server/src/db/bus';
import { PgListener } from '../../../server/src/live/listener';

interface StopMessage {
  type: 'stop';
  file: string;
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url || !process.send) throw new Error('run by scripts/bench/notify.ts (fork with BENCH_DATABASE_URL)');
  let records = new Float64Array(3 * 65_536);
  let received = 0;
  let others = 0;
  let resyncs = 0;
  const record = (message: LiveMessage) => {
    if (!message.channel.startsWith('idea:')) {
      others++;
      return;
    }
    if ((received + 1) * 3 > records.length) {
      const bigger = new Float64Array(records.length * 2);
      bigger.set(records);
      records = bigger;
    }
    records[received * 3] = Number(message.channel.slice('idea:'.length));
    records[received * 3 + 1] = message.cursor ?? -1;
    records[received * 3 + 2] = performance.timeOrigin + performance.now();
    received++;
  };
  const listener = new PgListener(url, record, () => resyncs++, pino({ level: 'warn' }));
  await listener.start();
  process.on('message', (message: StopMessage) => {
    if (message.type !== 'stop') return;
    void listener.close().then(() => {
      writeFileSync(message.file, Buffer.from(records.buffer, 0, received * 3 * 8));
      process.send?.({ type: 'done', received, others, resyncs }, () => process.exit(0));
    });
  });
  process.on('disconnect', () => process.exit(0)); // the benchmark went away
  process.send({ type: 'ready' });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
