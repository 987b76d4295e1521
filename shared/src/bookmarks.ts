import { type Static, Type } from 'typebox';
import { UserRef } from './forum';

/**
 * A member's bookmarks: posts they keep to come back to (Discourse's bookmarks). Private: nobody
 * else, staff included, sees them.
 */
export const BookmarkResponse = Type.Object({ bookmarked: Type.Boolean() });
export type BookmarkResponse = Static<typeof BookmarkResponse>;

export const Bookmark = Type.Object({
  postId: Type.Integer(),
  threadId: Type.Integer(),
  threadTitle: Type.String(),
  postNumber: Type.Integer(),
  author: UserRef,
  /** Plain text, the post's first 200 characters. */
  excerpt: Type.String(),
  bookmarkedAt: Type.String(),
});
export type Bookmark = Static<typeof Bookmark>;

export const BookmarkListQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type BookmarkListQuery = Static<typeof BookmarkListQuery>;
