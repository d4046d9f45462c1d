import type { ChildProcess } from "node:child_process";
import net from "node:net";

/** Waits until a server a test started accepts TCP on loopback; false when it exited or the time ran out. */
export async function waitForPort(port: number, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.end();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (open) return true;
    if (child.exitCode !== null || Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
