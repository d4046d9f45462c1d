import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./postgres-server";

/**
 * A throwaway IMAP server (Debian's dovecot-imapd) for the test run: its own configuration in a
 * temp directory, plain IMAP on a free loopback port, Maildir mailboxes owned by `nobody`, and
 * users from a password file. Dovecot's master starts as root and drops privileges itself.
 */
export type ImapServer = { host: string; port: number; stop: () => void };

const DOVECOT = ["/usr/sbin/dovecot", "/usr/bin/dovecot"].find((p) => fs.existsSync(p));

export async function startDovecot(users: { user: string; password: string }[]): Promise<ImapServer> {
  if (!DOVECOT) throw new Error("dovecot not found: install the Debian 'dovecot-imapd' package");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-imap-"));
  fs.chmodSync(dir, 0o755);
  for (const sub of ["run", "state", "home"]) fs.mkdirSync(path.join(dir, sub));
  const nobody = { uid: 65534, gid: 65534 };
  fs.chownSync(path.join(dir, "home"), nobody.uid, nobody.gid);
  fs.writeFileSync(path.join(dir, "passwd"), users.map((u) => `${u.user}:{PLAIN}${u.password}\n`).join(""));
  const port = await freePort();
  const conf = path.join(dir, "dovecot.conf");
  fs.writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${nobody.uid} gid=${nobody.gid} home=${dir}/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  // The master daemonizes: its output goes to the log file, never to pipes we would wait on.
  const res = spawnSync(DOVECOT, ["-c", conf], { stdio: "ignore" });
  if (res.status !== 0) throw new Error(`dovecot failed to start: ${readLog(dir)}`);
  const started = Date.now();
  while (!fs.existsSync(path.join(dir, "run", "master.pid"))) {
    if (Date.now() - started > 10_000) throw new Error(`dovecot did not start: ${readLog(dir)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: "127.0.0.1",
    port,
    stop: () => {
      spawnSync(DOVECOT, ["-c", conf, "stop"], { stdio: "ignore" });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const readLog = (dir: string) => {
  try {
    return fs.readFileSync(path.join(dir, "dovecot.log"), "utf8");
  } catch {
    return "(no log)";
  }
};
