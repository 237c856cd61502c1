// `npm run build`: every workspace package compiled into its dist/ (see lib/build.ts).
import { buildPackages } from "./lib/build.js";

await buildPackages((line) => console.log(`[build] ${line}`));
