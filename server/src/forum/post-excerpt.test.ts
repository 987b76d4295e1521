import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { renderMarkdown } from './markdown';

// posts.excerpt is kept by PostgreSQL from cooked (post_excerpt(), migration 0017).
let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(() => d.drop());

const excerptOf = async (html: string) =>
  (await sql<{ e: string }>`select post_excerpt(${html}) as e`.execute(d.db)).rows[0]?.e;
const fromMarkdown = (raw: string) => excerptOf(renderMarkdown(raw).html);

describe('post excerpts', () => {
  it('are the text of the post: no tags, entities decoded, blocks apart, quotes of others left out', async () => {
    expect(await fromMarkdown('# Title\n\nHello & <b>welcome</b>, "friends" it\'s **me**')).toBe(
      'Title Hello & <b>welcome</b>, "friends" it\'s me',
    );
    expect(await excerptOf('<p>one</p><p>two</p><ul><li>three</li><li>four</li></ul>')).toBe('one two three four');
    expect(await excerptOf('<p>in<b>line</b> <a href="/t/1">link</a><br>next&nbsp;</p>')).toBe(
      'inline link next&nbsp;',
    );
    expect(
      await excerptOf(
        '<aside class="quote" data-post="3"><blockquote><p>their words</p></blockquote></aside><p>mine</p>',
      ),
    ).toBe('mine');
    expect(await excerptOf('<p><img src="/images/x" alt="photo"></p>')).toBe('');
  });

  it('keep 300 characters; longer text is cut after a whole word, else after 299 characters, with an ellipsis', async () => {
    const exact = 'a'.repeat(300);
    expect(await excerptOf(`<p>${exact}</p>`)).toBe(exact);
    const words = `${'abcd '.repeat(70)}`.trim(); // 349 characters
    const cut = (await excerptOf(`<p>${words}</p>`)) as string;
    expect(cut).toBe(`${'abcd '.repeat(59)}abcd…`); // the whole words that fit in 299, then …
    expect(cut.length).toBe(300);
    // one word longer than the limit (a URL, a script without spaces): cut by characters
    expect(await excerptOf(`<p>short ${'x'.repeat(400)}</p>`)).toBe(`short ${'x'.repeat(293)}…`);
  });

  it('count characters, not bytes: a cut never splits an accented letter, a CJK character or an emoji', async () => {
    for (const ch of ['ñ', '中', '😀']) {
      const cut = (await excerptOf(`<p>${ch.repeat(400)}</p>`)) as string;
      expect([...cut]).toHaveLength(300);
      expect(cut).toBe(`${ch.repeat(299)}…`);
      expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/); // no half emoji
      expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
    }
  });

  it('are kept by the database on every write of cooked', async () => {
    const [user] = (
      await sql<{ id: number }>`insert into users (username, email, password_hash, password_changed_at)
        values ('excerpt_writer', 'excerpt@example.com', '!', now()) returning id`.execute(d.db)
    ).rows;
    const [category] = (
      await sql<{
        id: number;
      }>`insert into categories (slug, name, position) values ('ex', 'Ex', 0) returning id`.execute(d.db)
    ).rows;
    const [thread] = (
      await sql<{ id: number }>`insert into threads (category_id, kind, title, author_id, last_poster_id)
        values (${category?.id}, 'discussion', 'A thread', ${user?.id}, ${user?.id}) returning id`.execute(d.db)
    ).rows;
    const post = await d.db
      .insertInto('posts')
      .values({
        thread_id: thread?.id as number,
        post_number: 1,
        author_id: user?.id as number,
        raw: 'x',
        cooked: '<p>First &amp; best</p>',
      })
      .returning(['id', 'excerpt'])
      .executeTakeFirstOrThrow();
    expect(post.excerpt).toBe('First & best');
    const edited = await d.db
      .updateTable('posts')
      .set({ cooked: '<p>Second</p>' })
      .where('id', '=', post.id)
      .returning('excerpt')
      .executeTakeFirstOrThrow();
    expect(edited.excerpt).toBe('Second');
  });
});
