// An entity fetch sends each distinct representation once and hands every place that asked its own
// copy of the answer, errors included.
import { expect, it } from "vitest";
import { expandEntities, uniqueRepresentations } from "../src/engine/subgraph-source.js";

it("sends equal representations once and answers each place that asked, errors included", () => {
  const representations = [
    { __typename: "Unit", code: "U1" },
    { __typename: "Unit", code: "U2" },
    { __typename: "Unit", code: "U1" },
    { __typename: "Unit", code: 1 },
    { __typename: "Unit", code: "U2" },
  ];
  const { variables, positions } = uniqueRepresentations({ representations, year: 2026 });
  expect(variables).toEqual({
    representations: [
      { __typename: "Unit", code: "U1" },
      { __typename: "Unit", code: "U2" },
      { __typename: "Unit", code: 1 },
    ],
    year: 2026,
  });
  expect(positions).toEqual([0, 1, 0, 2, 1]);
  const answer = expandEntities(
    {
      data: {
        _entities: [{ name: "one", tags: { a: 1 } }, { name: "two", tags: null }, null],
      },
      errors: [
        { message: "no unit 1", path: ["_entities", 2] },
        { message: "two is odd", path: ["_entities", 1, "name"] },
      ],
    },
    positions!,
  );
  expect(answer.data?._entities).toEqual([
    { name: "one", tags: { a: 1 } },
    { name: "two", tags: null },
    { name: "one", tags: { a: 1 } },
    null,
    { name: "two", tags: null },
  ]);
  // each place gets its own objects: the executor merges into them
  const entities = answer.data?._entities as { tags: object }[];
  expect(entities[2]).not.toBe(entities[0]);
  expect(entities[2]!.tags).not.toBe(entities[0]!.tags);
  expect(answer.errors?.map((e) => [e.message, e.path])).toEqual([
    ["no unit 1", ["_entities", 3]],
    ["two is odd", ["_entities", 1, "name"]],
    ["two is odd", ["_entities", 4, "name"]],
  ]);
});

it("leaves a fetch without repeats as it is", () => {
  const variables = { representations: [{ __typename: "Unit", code: "U1" }] };
  expect(uniqueRepresentations(variables)).toEqual({ variables });
  const distinct = {
    representations: [
      { __typename: "A", id: "1" },
      { __typename: "B", id: "1" },
    ],
  };
  expect(uniqueRepresentations(distinct).positions).toBeUndefined();
});
