// Runs the engine benchmark's subgraphs in a process of their own; prints their URLs as one JSON line.
import { startEngineSubgraphs } from "./federation.js";

const subgraphs = await startEngineSubgraphs();
console.log(
  JSON.stringify(Object.fromEntries(subgraphs.map((s) => [s.name, { url: s.url, sdl: s.sdl }]))),
);
const stop = () => void Promise.all(subgraphs.map((s) => s.close())).then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
