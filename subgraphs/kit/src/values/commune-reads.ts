// What a commune's person may read of a subgraph's figures: its own commune's and the city's (the
// city's public figures), never another commune's. Everybody else reads as before.
import { userError } from "../errors.js";
import { COMMUNE } from "../roles.js";
import type { KitContext } from "./context.js";

/** The units a commune's person may read (its own and the city's); null: any unit. */
export function readableUnits(
  ctx: Pick<KitContext, "caller" | "commune">,
  cityCode: string,
): ReadonlySet<string> | null {
  if (ctx.caller !== COMMUNE) return null;
  return new Set(ctx.commune ? [ctx.commune, cityCode] : [cityCode]);
}

/** Refuses a commune's person another commune's figures, before anything is read. */
export function checkReadableUnit(ctx: KitContext, unit: string, cityCode: string): void {
  const readable = readableUnits(ctx, cityCode);
  if (readable && !readable.has(unit)) {
    throw userError(
      `a commune reads its own figures and the city's only: unit ${unit} is not commune ${ctx.commune ?? "(none named)"}`,
      { code: "FORBIDDEN" },
    );
  }
}

/** Refuses a commune's person what lists every commune's figures (an agency's export, its month). */
export function refuseCommune(ctx: KitContext, what: string): void {
  if (ctx.caller === COMMUNE) {
    throw userError(`${what} is the agencies' and the IOC's; a commune reads its own month`, {
      code: "FORBIDDEN",
    });
  }
}
