// The machine's Java, for a program that needs a newer one than the machine's default `java` (Debian
// 12's is 17, and Keycloak 26 needs 21): JAVA_HOME when it is recent enough, else the newest JDK in
// /usr/lib/jvm; none, and the error says what was found and what to install.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

export interface Java {
  home: string;
  /** Its feature release: 17, 21, 25... */
  version: number;
}

export interface JavaWanted {
  /** The oldest feature release that will do. */
  minimum: number;
  /** Who needs it, for the error: "Keycloak 26.7.3". */
  neededBy: string;
  env?: Record<string, string | undefined>;
  /** Where JDKs are installed (Debian's and Temurin's packages put them here). */
  jvmDir?: string;
}

/** A Java's feature release, from its `release` file, else from what `java -version` prints. */
export async function javaVersion(home: string): Promise<number | undefined> {
  const release = join(home, "release");
  const fromRelease = existsSync(release)
    ? /^JAVA_VERSION="(\d+)/m.exec(readFileSync(release, "utf8"))?.[1]
    : undefined;
  if (fromRelease) return Number(fromRelease);
  const java = join(home, "bin", "java");
  if (!existsSync(java)) return undefined;
  try {
    const { stderr } = await promisify(execFile)(java, ["-version"]);
    const version = /version "(\d+)(?:\.(\d+))?/.exec(stderr);
    // Java 8 and older say 1.8
    return version ? Number(version[1] === "1" ? version[2] : version[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** A Java of `minimum` or later: JAVA_HOME first, else the newest in `jvmDir`. */
export async function findJava(wanted: JavaWanted): Promise<Java> {
  const { minimum, env = process.env, jvmDir = "/usr/lib/jvm" } = wanted;
  const seen: string[] = [];
  const javaHome = env.JAVA_HOME?.trim();
  if (javaHome) {
    const version = await javaVersion(javaHome);
    if (version !== undefined && version >= minimum) return { home: javaHome, version };
    seen.push(`JAVA_HOME=${javaHome} (${version ? `Java ${version}` : "no Java found there"})`);
  }
  const found: Java[] = [];
  const homes = existsSync(jvmDir)
    ? readdirSync(jvmDir, { withFileTypes: true }).filter((entry) => entry.isDirectory())
    : [];
  for (const entry of homes) {
    const home = join(jvmDir, entry.name);
    const version = await javaVersion(home);
    if (version !== undefined) found.push({ home, version });
  }
  const newest = found.sort((a, b) => b.version - a.version)[0];
  if (newest && newest.version >= minimum) return newest;
  seen.push(
    found.length
      ? `${jvmDir} holds ${found.map((java) => `${java.home} (Java ${java.version})`).join(", ")}`
      : `no Java in ${jvmDir}`,
  );
  throw new Error(
    `${wanted.neededBy} needs Java ${minimum} or later, and this machine has none: ${seen.join("; ")}. ` +
      `Install a JDK ${minimum} or later (Eclipse Temurin ${minimum} or 25, or openjdk-${minimum}-jdk-headless where the Debian release has it) into ${jvmDir}, or set JAVA_HOME to one.`,
  );
}
