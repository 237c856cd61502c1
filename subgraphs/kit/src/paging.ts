// Paging of the lists that grow (figures, versions, audit entries, late reports, task updates):
// `limit` and `offset` arguments, their defaults in the schema, each list's maximum here. A client
// asks for the next page while a page comes back full.
import { userError } from "./errors.js";

export interface PageArguments {
  /** How many items at most: 1 to the list's maximum (the schema gives the default). */
  limit: number;
  /** How many items to skip. */
  offset: number;
}

/** The page's arguments, refused with BAD_USER_INPUT naming the argument when out of range. */
export function checkPage(args: PageArguments, max: number): PageArguments {
  if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > max) {
    throw userError(`limit must be a whole number from 1 to ${max}, got ${args.limit}`, {
      argumentName: "limit",
    });
  }
  if (!Number.isInteger(args.offset) || args.offset < 0) {
    throw userError(`offset must be a whole number from 0, got ${args.offset}`, {
      argumentName: "offset",
    });
  }
  return args;
}

/** The page of `items` the arguments ask for. */
export function page<T>(items: readonly T[], args: PageArguments, max: number): T[] {
  const { limit, offset } = checkPage(args, max);
  return items.slice(offset, offset + limit);
}
