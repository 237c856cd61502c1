import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import "../src/engine/plain-exports.js";

const requireFromHere = createRequire(import.meta.url);
// required as @apollo/gateway requires it
const requireFromGateway = createRequire(requireFromHere.resolve("@apollo/gateway"));

describe("plain exports of @apollo/federation-internals", () => {
  it("hands its consumers every binding as a plain value, the same as the library's own", () => {
    const plain = requireFromGateway("@apollo/federation-internals") as Record<string, unknown>;
    const library = requireFromGateway.cache[
      requireFromGateway.resolve("@apollo/federation-internals")
    ]!.exports as Record<string, unknown>;
    const names = Object.keys(library);
    expect(names.length).toBeGreaterThan(100);
    for (const name of names) {
      const descriptor = Object.getOwnPropertyDescriptor(plain, name)!;
      expect(descriptor.get, name).toBeUndefined();
      expect(descriptor.value, name).toBe(library[name]);
    }
    // the library itself still has its getters (only the bindings handed out are plain)
    expect(Object.getOwnPropertyDescriptor(library, "Schema")!.get).toBeTypeOf("function");
    expect((plain as { __esModule?: boolean }).__esModule).toBe(true);
    expect(requireFromHere("@apollo/federation-internals")).toBe(plain);
  });
});
