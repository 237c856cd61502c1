import type { PlanContext } from "../context.js";

export const Agency = {
  __resolveReference: ({ code }: { code: string }, ctx: PlanContext) =>
    ctx.loaders.agency.load(code),
};
