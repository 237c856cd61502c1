// Figures typed on this device and not yet taken by the gateway, kept in localStorage per person,
// commune and month: a reload, a dropped connection or a closed tab loses nothing typed. A figure
// leaves the store once the gateway has taken it.
import type { SubgraphKey } from "../agency-subgraph.js";
import type { FigureField, TypedFigure } from "./typed-figure.js";

export interface KeptFigure {
  /** The obligation's key (subgraph|indicator). */
  key: string;
  subgraph: SubgraphKey;
  indicator: string;
  typed: TypedFigure;
  /** unsent: waiting for the connection; refused: the gateway said no, kept until corrected. */
  state: "unsent" | "refused";
  refusal?: { code?: string; message: string; field?: FigureField };
}

export type KeptFigures = Record<string, KeptFigure>;

export interface Shelf {
  person: string;
  commune: string;
  period: string;
}

const storageKey = ({ person, commune, period }: Shelf) =>
  `p06.commune-month|${person}|${commune}|${period}`;

export function readKept(shelf: Shelf): KeptFigures {
  try {
    const kept = JSON.parse(localStorage.getItem(storageKey(shelf)) ?? "{}") as unknown;
    return kept && typeof kept === "object" ? (kept as KeptFigures) : {};
  } catch {
    return {};
  }
}

export function writeKept(shelf: Shelf, kept: KeptFigures): void {
  try {
    if (Object.keys(kept).length === 0) localStorage.removeItem(storageKey(shelf));
    else localStorage.setItem(storageKey(shelf), JSON.stringify(kept));
  } catch {
    // storage full or refused (private mode): the figures stay in the page as long as it is open
  }
}
