// The real Keycloak, for the end-to-end test that proves the realm file in keycloak/ (and for a
// city that wants to try it): its Quarkus distribution from Maven Central
// (org.keycloak:keycloak-quarkus-dist, pinned, its SHA-256 checked), fetched with the machine's Maven
// and built once into .tools/, run on a Java of 21 or later found on the machine, on loopback, with
// its H2 database and the realms it imports in a folder of its own.
import { type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./ferretdb.js";
import { findJava, type Java } from "./java.js";
import { runInGroup, spawnInGroup, stopGroup } from "./process-groups.js";
import { withProgress } from "./progress.js";

export const KEYCLOAK_VERSION = "26.7.3";
/** The SHA-256 of keycloak-quarkus-dist-26.7.3.tar.gz as Maven Central serves it (its SHA-1 checked too). */
const KEYCLOAK_SHA256 = "77657f30b7e90d70f727712ce1c967f430fd6a5e9f458d32d8c6df0635345f47";
/** Keycloak 26 runs on Java 21 or later. */
export const KEYCLOAK_JAVA = 21;
/** The build-time options the distribution is built with once (`kc.sh build`); start-up repeats none. */
const BUILD_OPTIONS = ["--db=dev-file"];
/** Where the maven-dependency-plugin that copies the distribution out of the repository comes from. */
const DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

const toolsDir = join(repoRoot, ".tools");
export const keycloakHome = join(toolsDir, `keycloak-${KEYCLOAK_VERSION}`);
const builtMark = join(keycloakHome, ".p06-built");
/** The realm file, and the test realm's demo people (docs/running-for-the-city.md). */
export const realmDir = join(repoRoot, "keycloak");

/** Keycloak 26's Java: 21 or later. */
export const keycloakJava = (env: Record<string, string | undefined> = process.env) =>
  findJava({ minimum: KEYCLOAK_JAVA, neededBy: `Keycloak ${KEYCLOAK_VERSION}`, env });

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Maven with the machine's own configuration (its settings.xml: mirrors, proxies). */
async function runMaven(args: string[], cwd: string): Promise<void> {
  try {
    await runInGroup("mvn", args, { cwd });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new Error(
      "Maven (mvn) is not installed: it fetches Keycloak from Maven Central (Debian: apt-get install maven)",
    );
  }
}

/**
 * The JVM's flags for Keycloak's build and a server that lives a test long: the client compiler only,
 * and the serial collector (two cores). Measured here, they halve the CPU time of the build (8 s
 * instead of 19) and of a start (14 s to ready instead of 30: docs/tests.md). The rest are kc.sh's
 * own defaults, which setting JAVA_OPTS replaces.
 */
const JAVA_OPTS = [
  "-XX:TieredStopAtLevel=1",
  "-XX:+UseSerialGC",
  "-Xms64m",
  "-Xmx512m",
  "-XX:MetaspaceSize=96M",
  "-XX:MaxMetaspaceSize=256m",
  "-XX:+ExitOnOutOfMemoryError",
  "-Dfile.encoding=UTF-8",
  "-Djava.security.egd=file:/dev/urandom",
].join(" ");

/** Keycloak's scripts' environment: the Java found, and the flags above. */
const javaEnv = (java: Java) => ({ JAVA_HOME: java.home, JAVA_OPTS });

export interface KeycloakInstall {
  /** The built distribution. */
  home: string;
  java: Java;
}

/**
 * Fetches and builds Keycloak once; later calls return at once. Maven copies the distribution out of
 * a local repository of its own (removed afterwards: the archive is 170 MB) with strict checksums,
 * the archive's SHA-256 is checked against the pinned one, and `kc.sh build` runs in the unpacked
 * copy before it is moved into place, so a half-made one is never taken for ready.
 */
export async function ensureKeycloak(
  log: (line: string) => void = () => {},
): Promise<KeycloakInstall> {
  const java = await keycloakJava();
  const expected = `${KEYCLOAK_VERSION} ${BUILD_OPTIONS.join(" ")}\n`;
  if (existsSync(builtMark) && readFileSync(builtMark, "utf8") === expected) {
    return { home: keycloakHome, java };
  }
  await mkdir(toolsDir, { recursive: true });
  const work = await mkdtemp(join(toolsDir, "keycloak-setup-"));
  try {
    const archive = join(work, `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz`);
    await withProgress(`fetching Keycloak ${KEYCLOAK_VERSION} from Maven Central (mvn)`, log, () =>
      runMaven(
        [
          "--batch-mode",
          "--quiet",
          "--strict-checksums",
          `-Dmaven.repo.local=${join(work, "repository")}`,
          `${DEPENDENCY_PLUGIN}:copy`,
          `-Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz`,
          `-DoutputDirectory=${work}`,
        ],
        work,
      ),
    );
    const sha256 = await sha256Of(archive);
    if (sha256 !== KEYCLOAK_SHA256) {
      throw new Error(
        `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz has SHA-256 ${sha256}, not the pinned ${KEYCLOAK_SHA256}: not using it`,
      );
    }
    log(`Keycloak's archive: SHA-256 ${sha256}, as pinned`);
    await rm(join(work, "repository"), { recursive: true, force: true });
    await runInGroup("tar", ["-xzf", archive, "-C", work]);
    await rm(archive);
    const unpacked = join(work, `keycloak-${KEYCLOAK_VERSION}`);
    await withProgress(
      `building Keycloak once (kc.sh build ${BUILD_OPTIONS.join(" ")}, Java ${java.version})`,
      log,
      () =>
        runInGroup(join(unpacked, "bin", "kc.sh"), ["build", ...BUILD_OPTIONS], {
          cwd: unpacked,
          env: { ...process.env, ...javaEnv(java) },
        }),
    );
    await writeFile(join(unpacked, ".p06-built"), expected);
    await rm(keycloakHome, { recursive: true, force: true });
    await rename(unpacked, keycloakHome);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { home: keycloakHome, java };
}

export interface KeycloakOptions {
  port: number;
  /** The files it imports at start (its data/import folder): a realm's `<realm>-realm.json`, its users' `<realm>-users-<n>.json`. */
  imports: Record<string, string>;
  /** Variables for the `${NAME:default}` placeholders of the realm files. */
  env?: Record<string, string>;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface RunningKeycloak {
  /** http://127.0.0.1:port */
  url: string;
  /** How long it took to answer, from its start (the JVM, the database, the import). */
  startedInMs: number;
  /** Its last log lines. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built Keycloak on loopback in production mode (`start --optimized`, the H2 file database,
 * the local cache) with a home of its own in a temporary folder: its data (the database, the imported
 * files) is there, the distribution's code and configuration are links to .tools/. Resolves once the
 * master realm answers (the imports are done by then); stop() ends its process group and removes
 * the folder.
 */
export async function startKeycloak(options: KeycloakOptions): Promise<RunningKeycloak> {
  const { home: distribution, java } = await ensureKeycloak(options.log);
  const home = await mkdtemp(join(tmpdir(), "p06-keycloak-"));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child) await stopGroup(child, "SIGTERM", 10_000);
    await rm(home, { recursive: true, force: true });
  };
  try {
    for (const folder of ["lib", "conf", "providers", "themes"]) {
      await symlink(join(distribution, folder), join(home, folder));
    }
    await mkdir(join(home, "data", "import"), { recursive: true });
    for (const [name, content] of Object.entries(options.imports)) {
      await writeFile(join(home, "data", "import", name), content);
    }
    const url = `http://127.0.0.1:${options.port}`;
    const started = Date.now();
    child = spawnInGroup(
      join(distribution, "bin", "kc.sh"),
      [
        "start",
        "--optimized",
        // its data and imports in this folder, not the distribution's (kc.sh's own comes first)
        `-Dkc.home.dir=${home}`,
        "--http-enabled=true",
        "--http-host=127.0.0.1",
        `--http-port=${options.port}`,
        `--hostname=${url}`,
        "--cache=local",
        "--import-realm",
      ],
      {
        cwd: home,
        env: { ...process.env, ...options.env, ...javaEnv(java) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let tail = "";
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-12_000));
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    let exit: number | null | undefined;
    child.once("exit", (code) => (exit = code));
    const deadline = started + (options.readyTimeoutMs ?? 180_000);
    for (;;) {
      if (exit !== undefined)
        throw new Error(`Keycloak exited (code ${exit}) before it answered:\n${tail}`);
      if (Date.now() > deadline) {
        throw new Error(
          `Keycloak did not answer on ${url} within ${deadline - started} ms:\n${tail}`,
        );
      }
      const ready = await fetch(`${url}/realms/master/.well-known/openid-configuration`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const startedInMs = Date.now() - started;
    options.log?.(
      `Keycloak ${KEYCLOAK_VERSION} on Java ${java.version} answered on ${url} after ${startedInMs} ms`,
    );
    return { url, startedInMs, output: () => tail, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The repository's realm files, by the names Keycloak imports them under. */
export async function realmFiles(): Promise<Record<string, string>> {
  const names = readdirSync(realmDir).filter((name) => name.endsWith(".json"));
  return Object.fromEntries(
    await Promise.all(
      names.map(async (name) => [name, await readFile(join(realmDir, name), "utf8")]),
    ),
  );
}

/** The realm the repository's file makes. */
export const REALM = "p06";
