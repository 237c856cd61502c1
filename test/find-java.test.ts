// Keycloak runs on the machine's Java of 21 or later, wherever it is: JAVA_HOME when that will do,
// else the newest JDK in /usr/lib/jvm (Debian's default `java` is 17); with none, the error names
// what it found and what to install. Over JDK folders made here, each known by its `release` file.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findJava } from "../scripts/lib/java.js";

let jvmDir: string;
const wanted = (env: Record<string, string>, dir = jvmDir) => ({
  minimum: 21,
  neededBy: "Keycloak 26.7.3",
  env,
  jvmDir: dir,
});

async function jdk(dir: string, name: string, version: string) {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, "release"), `IMPLEMENTOR="x"\nJAVA_VERSION="${version}"\n`);
  return join(dir, name);
}

beforeAll(async () => {
  jvmDir = await mkdtemp(join(tmpdir(), "p06-jvm-"));
  await jdk(jvmDir, "java-17-openjdk-amd64", "17.0.15");
  await jdk(jvmDir, "temurin-21-jdk-amd64", "21.0.9");
  await jdk(jvmDir, "temurin-25-jdk-amd64", "25.0.1");
});

afterAll(async () => {
  await rm(jvmDir, { recursive: true, force: true });
});

describe("the Java Keycloak runs on", () => {
  it("is the newest JDK installed, when JAVA_HOME is not set", async () => {
    expect(await findJava(wanted({}))).toEqual({
      home: join(jvmDir, "temurin-25-jdk-amd64"),
      version: 25,
    });
  });

  it("is JAVA_HOME's when it is 21 or later, and not when it is older", async () => {
    const home21 = join(jvmDir, "temurin-21-jdk-amd64");
    expect(await findJava(wanted({ JAVA_HOME: home21 }))).toEqual({ home: home21, version: 21 });
    const home17 = join(jvmDir, "java-17-openjdk-amd64");
    expect((await findJava(wanted({ JAVA_HOME: home17 }))).version).toBe(25);
  });

  it("is none on a machine with only Java 17: the error says what was found and what to install", async () => {
    const only17 = await mkdtemp(join(tmpdir(), "p06-jvm-"));
    try {
      const home17 = await jdk(only17, "java-17-openjdk-amd64", "17.0.15");
      await expect(findJava(wanted({ JAVA_HOME: home17 }, only17))).rejects.toThrow(
        `Keycloak 26.7.3 needs Java 21 or later, and this machine has none: JAVA_HOME=${home17} (Java 17); ${only17} holds ${home17} (Java 17). Install a JDK 21 or later (Eclipse Temurin 21 or 25, or openjdk-21-jdk-headless where the Debian release has it) into ${only17}, or set JAVA_HOME to one.`,
      );
    } finally {
      await rm(only17, { recursive: true, force: true });
    }
  });
});
