// npm run bench:vote-cost: what one vote costs PostgreSQL and the server, without HTTP or load.
//
// The vote throughput of `bench:reads` swings by a third from run to run on a shared 2-core
// machine (its ceiling too), which hides changes of 10–20% in a vote's own cost. This measures
// that cost directly: the real vote writer (ideas/votes.ts, VoteWriter) writes batches of random
// toggles one after the other (through its public `submit`) on `bench:reads`'s shape (500 open ideas, 20 members, about half
// the pairs voted, durable commits), and the CPU time PostgreSQL's processes and this one used is
// divided by the votes written. It also reports the share of `threads` updates that were HOT (in
// place: no index entry written), and checks every counter and sort key against count(*).
import pg from 'pg';
import { connect } from '../../server/src/db/connect';
import { VoteWriter } from '../../server/src/ideas/votes';
import {
  benchOptions,
  Cleanups,
  cpuMsOf,
  machineLine,
  random,
  seedVotersAndIdeas,
  throwAwayDatabase,
} from './lib/harness';

const usage = `npm run bench:vote-cost [-- --batch 25 --batches 800 --runs 3]

Seeds 20 members and 500 open ideas (about half the pairs voted) into a throw-away durable
embedded PostgreSQL, then writes --batches batches of --batch random vote toggles with the
server's vote writer, one batch after the other, --runs times; prints the CPU time PostgreSQL and
this process spent per vote in each run, and the share of HOT updates of threads.`;

const USERS = 20;
const IDEAS = 500;
const WARMUP_BATCHES = 100;

async function main(): Promise<number> {
  const options = benchOptions(usage, {
    batch: { default: '25', min: 1, max: 1000, integer: true },
    batches: { default: '800', min: 10, max: 100_000, integer: true },
    runs: { default: '3', min: 1, max: 20, integer: true },
  });
  if (typeof options === 'number') return options;
  const cleanups = new Cleanups(30 * 60_000);
  try {
    console.log(machineLine());
    const { url, postmasterPid } = await throwAwayDatabase(cleanups, 'vote-cost', 'fanlab_vote_cost');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    cleanups.push('client', () => client.end());
    await client.query('begin');
    const { userIds, ideaIds } = await seedVotersAndIdeas(client, USERS, IDEAS);
    await client.query('update users set trust_level = 2'); // members whose votes count at once
    await client.query(
      `insert into idea_votes (idea_id, user_id, created_at)
       select i, u, now() - (hashint4((i * 131 + u)::int) & 1023) * interval '1 hour'
       from unnest($1::bigint[]) i, unnest($2::bigint[]) u where hashint4((i * 31 + u)::int) & 1 = 0`,
      [ideaIds, userIds],
    );
    await client.query(
      `update threads t set vote_count = v.n
       from (select idea_id, count(*)::int as n from idea_votes group by idea_id) v where t.id = v.idea_id`,
    );
    await client.query('commit');
    await client.query('vacuum (analyze)');
    const voted = new Set(
      (
        (await client.query('select idea_id, user_id from idea_votes')).rows as { idea_id: string; user_id: string }[]
      ).map((r) => `${r.idea_id}:${r.user_id}`),
    );

    const db = connect(url, { max: 2 });
    cleanups.push('pool', () => db.destroy());
    const silent = { warn() {}, error() {}, info() {}, debug() {}, trace() {}, fatal() {}, child: () => silent };
    const writer = new VoteWriter(db, { max: Number.MAX_SAFE_INTEGER, windowSeconds: 60 }, silent as never, () => ({
      newMemberVotesHeld: true,
    }));
    const rand = random(7);
    const failures: unknown[] = [];
    // Each batch: distinct random pairs submitted at once, so the writer's group commit writes
    // them as one batch (it starts on the next turn of the event loop), awaited before the next.
    const run = async (batches: number) => {
      for (let b = 0; b < batches; b++) {
        const pairs = new Set<string>();
        const writes: Promise<void>[] = [];
        while (writes.length < options.batch) {
          const ideaId = ideaIds[Math.floor(rand() * IDEAS)] as number;
          const userId = userIds[Math.floor(rand() * USERS)] as number;
          const pair = `${ideaId}:${userId}`;
          if (pairs.has(pair)) continue;
          pairs.add(pair);
          const vote = !voted.has(pair);
          writes.push(
            writer.submit(ideaId, userId, vote).then(
              () => void (vote ? voted.add(pair) : voted.delete(pair)),
              (err: unknown) => void failures.push(err),
            ),
          );
        }
        await Promise.all(writes);
      }
    };
    const updates = async () =>
      (
        await client.query(
          `select n_tup_upd::int as all, n_tup_hot_upd::int as hot from pg_stat_user_tables where relname = 'threads'`,
        )
      ).rows[0] as { all: number; hot: number };

    await run(WARMUP_BATCHES);
    const votes = options.batches * options.batch;
    console.log(`${options.runs} runs of ${options.batches} batches of ${options.batch} toggles (${votes} votes each)`);
    for (let r = 1; r <= options.runs; r++) {
      const pg0 = cpuMsOf(postmasterPid, true);
      const self0 = process.cpuUsage();
      const t0 = performance.now();
      await run(options.batches);
      const wall = performance.now() - t0;
      const pgUs = (cpuMsOf(postmasterPid, true) - pg0) * 1000;
      const self = process.cpuUsage(self0);
      console.log(
        `  run ${r}: ${(wall / options.batches).toFixed(2)} ms a batch, ${Math.round((votes / wall) * 1000)} votes/s one batch at a time;` +
          ` CPU per vote: PostgreSQL ${Math.round(pgUs / votes)} µs, vote writer ${Math.round((self.user + self.system) / votes)} µs`,
      );
    }
    // statistics reach pg_stat_user_tables when the backends report them (within a second or so)
    await new Promise((r) => setTimeout(r, 1500));
    const u = await updates();
    console.log(
      `threads updates: ${u.all}, of them HOT (no index entry written): ${((u.hot / Math.max(1, u.all)) * 100).toFixed(1)}%`,
    );
    const wrong = (
      await client.query(
        `select count(*)::int as n from threads t join idea_recent_votes r on r.idea_id = t.id
         where t.kind = 'idea' and (t.vote_count <> (select count(*) from idea_votes v where v.idea_id = t.id)
                                    or r.votes <> t.vote_count)`,
      )
    ).rows[0] as { n: number };
    const exact = wrong.n === 0 && failures.length === 0;
    console.log(
      `counters and sort keys: ${exact ? 'exact (= count(*))' : `WRONG for ${wrong.n} ideas, ${failures.length} failed votes`}`,
    );
    return exact ? 0 : 1;
  } finally {
    await cleanups.run();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
