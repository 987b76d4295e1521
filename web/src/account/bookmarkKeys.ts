/** Query keys of the reader's bookmarks list. */
export const bookmarkKeys = {
  all: ['bookmarks'] as const,
};
