import { type Static, Type } from 'typebox';
import { BODY_MAX, TITLE_MAX } from './forum';

/**
 * A composer's unsent text, kept on the server so it survives a reload and follows its author to
 * another device. One per place: `thread:<categoryId>` (a new thread in a category),
 * `reply:<threadId>` (a reply) or `edit:<postId>` (an edit of a post). A draft is its author's
 * alone: nobody else can read it, staff included.
 */
export const DRAFT_KEY_PATTERN = '^(thread|reply|edit):[1-9][0-9]{0,15}$';
/** The most drafts one member keeps: saving one more forgets their oldest. */
export const DRAFTS_PER_USER = 50;

export const DraftParams = Type.Object(
  { key: Type.String({ pattern: DRAFT_KEY_PATTERN, maxLength: 24 }) },
  { additionalProperties: false },
);
export type DraftParams = Static<typeof DraftParams>;

export const SaveDraftBody = Type.Object(
  {
    /** A new thread's title (empty until typed); other places have none. */
    title: Type.Optional(Type.String({ maxLength: TITLE_MAX })),
    body: Type.String({ maxLength: BODY_MAX }),
  },
  { additionalProperties: false },
);
export type SaveDraftBody = Static<typeof SaveDraftBody>;

export const Draft = Type.Object({
  key: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  /** When it was last saved (the composer's "draft saved" marker). */
  savedAt: Type.String(),
});
export type Draft = Static<typeof Draft>;

/** The draft kept for a place, or null when there is none. */
export const DraftResponse = Type.Object({ draft: Type.Union([Draft, Type.Null()]) });
export type DraftResponse = Static<typeof DraftResponse>;
