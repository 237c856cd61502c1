// Every resolver of the plan subgraph, one file per GraphQL type.
import { Agency } from "./agency.js";
import { CommunePlan, communePlanMutations } from "./commune-plan.js";
import { explanationMutations, explanationQuery } from "./explanation.js";
import { IndicatorGroup, TaskGroup } from "./groups.js";
import * as indicators from "./indicator.js";
import { Mutation } from "./mutation.js";
import { Query } from "./query.js";
import { OwedFigure, Reminder, reminderQuery } from "./reminder.js";
import { reviewQuery, reviewTypes } from "./review.js";
import { SupplementaryIndicator, supplementaryQuery } from "./supplementary.js";
import { ReportingUnit } from "./reporting-unit.js";
import { Task, TaskUpdate } from "./task.js";

export const resolvers = {
  Query: {
    ...Query,
    ...reviewQuery,
    ...supplementaryQuery,
    ...explanationQuery,
    ...reminderQuery,
  },
  Mutation: { ...Mutation, ...explanationMutations, ...communePlanMutations },
  CommunePlan,
  ...reviewTypes,
  Target: indicators.Target,
  TaskUpdate,
  Indicator: indicators.Indicator,
  PlanIndicator: indicators.PlanIndicator,
  ...indicators.agencyIndicatorTypes,
  SupplementaryIndicator,
  IndicatorGroup,
  Task,
  TaskGroup,
  Agency,
  ReportingUnit,
  Reminder,
  OwedFigure,
};
