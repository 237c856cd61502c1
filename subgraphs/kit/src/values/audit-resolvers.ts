// The subgraph's audit trail as a query: every accepted write, newest first, for the IOC only.
import { userError } from "../errors.js";
import { checkPage, type PageArguments } from "../paging.js";
import type { AuditEntryDoc } from "../audit.js";
import { callerOf, type KitContext } from "./context.js";
import { lowerFirst, MAX_AUDIT_PAGE } from "./rules.js";

export function auditQuery(prefix: string) {
  return {
    async [`${lowerFirst(prefix)}AuditTrail`](
      _: unknown,
      args: PageArguments & {
        from?: string | null;
        to?: string | null;
        actor?: string | null;
        person?: string | null;
      },
      ctx: KitContext,
    ) {
      if (callerOf(ctx, "read") !== "IOC") {
        throw userError("the audit trail is the IOC's to read", { code: "FORBIDDEN" });
      }
      const { limit, offset } = checkPage(args, MAX_AUDIT_PAGE);
      const time = (value: string | null | undefined, argumentName: string) => {
        if (value == null) return undefined;
        const parsed = new Date(value);
        if (Number.isNaN(parsed.getTime()))
          throw userError(`${argumentName} "${value}" is not an ISO 8601 time`, { argumentName });
        return parsed;
      };
      const from = time(args.from, "from");
      const to = time(args.to, "to");
      const entries = await ctx.values.models.Audit.find({
        ...((from || to) && { at: { ...(from && { $gte: from }), ...(to && { $lte: to }) } }),
        ...(args.actor != null && { actor: args.actor }),
        ...(args.person != null && { "person.id": args.person }),
      })
        .sort({ at: -1 })
        .skip(offset)
        .limit(limit)
        .lean<AuditEntryDoc[]>()
        .exec();
      return entries.map((entry) => ({
        ...entry,
        person: entry.person ?? null,
        at: new Date(entry.at).toISOString(),
        before: entry.before === null ? null : JSON.stringify(entry.before),
        after: entry.after === null ? null : JSON.stringify(entry.after),
      }));
    },
  };
}
