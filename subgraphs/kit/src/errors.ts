// The one catalogue of error codes a client can act on (documented in the README).
import { GraphQLError } from "graphql";

export const ErrorCode = {
  /** An argument is malformed or names something that does not exist. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function userError(
  message: string,
  details: { argumentName?: string; code?: ErrorCode } = {},
): GraphQLError {
  const { code = ErrorCode.BAD_USER_INPUT, argumentName } = details;
  return new GraphQLError(message, {
    extensions: argumentName ? { code, argumentName } : { code },
  });
}
