import { REVIEW_CHANNEL } from '@fanlab/shared';
import type { LiveMessage } from '../db/bus';

/** Pages kept at most, in bytes (the oldest go first): a whole walk of a 10,000-item queue is ~13 MB. */
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * The review queue's pages as sent (the serialized JSON), shared by every moderator of this
 * process. The queue is the same for every moderator, and they all reload it at once: every
 * change is announced on `review:1`, and each moderator's page reloads on it.
 *
 * A page is dropped when any process announces a change on `review:1` (every rule that changes
 * a reviewable does, in its transaction: see `moderation/actions.ts`), when this process's
 * listener reconnects (announcements may have been lost meanwhile), when a write route of this
 * process has committed (its own moderator reloads at once, before the announcement arrives),
 * and after `maxAgeMs` in any case: what changes without an announcement (a deferral running
 * out, an edited post's excerpt, a renamed thread) shows within that time. A read that began
 * before a drop is never stored after it. Concurrent misses of one page share one read.
 * `maxAgeMs` 0: no cache.
 */
export class QueuePageCache {
  private readonly pages = new Map<string, { body: Buffer; at: number }>();
  private readonly reads = new Map<string, Promise<Buffer>>();
  private bytes = 0;
  private generation = 0;

  constructor(private readonly maxAgeMs: number) {}

  /** The page under `key`: cached, or read (once, however many ask at the same moment) and kept. */
  async page(key: string, read: () => Promise<Buffer>): Promise<Buffer> {
    if (this.maxAgeMs <= 0) return read();
    const cached = this.pages.get(key);
    if (cached && Date.now() - cached.at < this.maxAgeMs) return cached.body;
    const readKey = `${this.generation}:${key}`;
    const pending = this.reads.get(readKey);
    if (pending) return pending;
    const generation = this.generation;
    const at = Date.now();
    const reading = read().finally(() => this.reads.delete(readKey));
    this.reads.set(readKey, reading);
    const body = await reading;
    if (generation === this.generation) {
      this.drop(key); // re-inserted last: the oldest pages go first
      this.pages.set(key, { body, at });
      this.bytes += body.length;
      while (this.bytes > MAX_BYTES) this.drop(this.pages.keys().next().value as string);
    }
    return body;
  }

  private drop(key: string) {
    const page = this.pages.get(key);
    if (!page) return;
    this.pages.delete(key);
    this.bytes -= page.body.length;
  }

  /** Every page goes (the queue changed, or may have). */
  clear(): void {
    this.generation++;
    this.pages.clear();
    this.bytes = 0;
    this.reads.clear();
  }

  /** Called with every live announcement this process hears. */
  heard(message: LiveMessage): void {
    if (message.channel === REVIEW_CHANNEL) this.clear();
  }
}
