// Every resolver of the plan subgraph, one file per GraphQL type.
import { Agency } from "./agency.js";
import { IndicatorGroup, TaskGroup } from "./groups.js";
import { Indicator, PlanIndicator } from "./indicator.js";
import { Query } from "./query.js";
import { ReportingUnit } from "./reporting-unit.js";
import { Task } from "./task.js";

export const resolvers = {
  Query,
  Indicator,
  PlanIndicator,
  IndicatorGroup,
  Task,
  TaskGroup,
  Agency,
  ReportingUnit,
};
