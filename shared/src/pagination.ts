import { type Static, type TSchema, Type } from 'typebox';

/**
 * The one pagination convention: long lists are keyset-paginated. A list answer
 * carries `nextCursor` (opaque string, or null on the last page); the client sends
 * it back as `?cursor=` to get the next page. `limit` is 1–100.
 */
export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from a previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
});
export type PageQuery = Static<typeof PageQuery>;

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
