// Preloaded into a spawned server (node --import) to kill it with SIGKILL from inside at a chosen
// moment: LOOPDESK_TEST_KILL_ON names a log message, and the process kills itself
// LOOPDESK_TEST_KILL_DELAY_MS (default 0) after writing it for the LOOPDESK_TEST_KILL_AT-th time
// (default 1). A test that watched the output and sent the signal itself raced the server: on two
// busy cores the work it meant to interrupt was sometimes done before the signal arrived.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const message = process.env.LOOPDESK_TEST_KILL_ON;
if (message) {
  const at = Number(process.env.LOOPDESK_TEST_KILL_AT ?? 1);
  const delay = Number(process.env.LOOPDESK_TEST_KILL_DELAY_MS ?? 0);
  let seen = 0;
  const watch = (fd, data) => {
    if ((fd !== 1 && fd !== 2) || !String(data).includes(message) || ++seen !== at) return;
    const kill = () => process.kill(process.pid, "SIGKILL");
    if (delay > 0) setTimeout(kill, delay);
    else kill();
  };
  // The logger (pino's sonic-boom) writes to the descriptors with fs.write / fs.writeSync.
  const { write, writeSync } = fs;
  fs.write = function (fd, data, ...rest) {
    watch(fd, data);
    return write.call(this, fd, data, ...rest);
  };
  fs.writeSync = function (fd, data, ...rest) {
    watch(fd, data);
    return writeSync.call(this, fd, data, ...rest);
  };
  syncBuiltinESMExports();
}
