// Set up in every test process: interrupted (SIGINT, SIGTERM: vitest stops its workers with SIGTERM),
// it kills every process group it started before it goes. At exit, however it exits, they go anyway
// (process-groups.ts); the run's global teardown kills what is left even of a process killed hard.
import { killGroupsOnSignals } from "../../scripts/lib/process-groups.js";

killGroupsOnSignals();
