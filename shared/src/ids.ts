import { Type } from 'typebox';

/**
 * The database's integer bounds, for every integer that comes in (path, query, body), so that
 * none overflows a column. Ids are `bigint` columns read as JS numbers: they stay within
 * Number.MAX_SAFE_INTEGER. Post numbers and counters are `integer` columns.
 */
export const ID_MAX = Number.MAX_SAFE_INTEGER;
export const INT_MAX = 2_147_483_647;

/** A row id (a `bigint` id column). */
export const Id = Type.Integer({ minimum: 1, maximum: ID_MAX });
/** A post number (an `integer` column). */
export const PostNumber = Type.Integer({ minimum: 1, maximum: INT_MAX });
/** The path parameters of a route about one row: `/…/:id`. */
export const IdParams = Type.Object({ id: Id });
