import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./postgres-server";
import { waitForPort } from "./wait-for-port";

/**
 * A throwaway LDAP directory (Debian's OpenLDAP `slapd`) for the test run: a slapd.conf in a temp
 * directory, an MDB database loaded with `slapadd`, plain LDAP on a free loopback port.
 */
export type LdapServer = { url: string; baseDn: string; adminDn: string; adminPassword: string; stop: () => void };

const SLAPD = "/usr/sbin/slapd";
const SLAPADD = ["/usr/sbin/slapadd", "/usr/sbin/slapd"].find((p) => fs.existsSync(p)) as string;
export const BASE_DN = "dc=loopdesk,dc=test";

export async function startSlapd(entries: string): Promise<LdapServer> {
  if (!fs.existsSync(SLAPD)) throw new Error("slapd not found: install the Debian 'slapd' package");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopdesk-ldap-"));
  fs.mkdirSync(path.join(dir, "db"));
  const adminDn = `cn=admin,${BASE_DN}`;
  const adminPassword = "ldap-admin-secret";
  const conf = path.join(dir, "slapd.conf");
  fs.writeFileSync(
    conf,
    `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile ${dir}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "${BASE_DN}"
rootdn "${adminDn}"
rootpw ${adminPassword}
directory ${dir}/db
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
`,
  );
  const ldif = path.join(dir, "data.ldif");
  fs.writeFileSync(
    ldif,
    `dn: ${BASE_DN}
objectClass: dcObject
objectClass: organization
o: Loopdesk Test
dc: loopdesk

dn: ou=people,${BASE_DN}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${BASE_DN}
objectClass: organizationalUnit
ou: groups

${entries.trim()}
`,
  );
  const added = spawnSync(SLAPADD, ["-f", conf, "-l", ldif], { encoding: "utf8" });
  if (added.status !== 0) throw new Error(`slapadd failed: ${added.stderr}`);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(SLAPD, ["-f", conf, "-h", `${url}/`, "-d", "0"], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr?.on("data", (d) => {
    log += String(d);
  });
  if (!(await waitForPort(port, child, 15_000))) throw new Error(`slapd did not start: ${log}`);
  return {
    url,
    baseDn: BASE_DN,
    adminDn,
    adminPassword,
    stop: () => {
      child.kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An inetOrgPerson entry under ou=people with a plain password (slapd hashes nothing it is given). */
export const person = (uid: string, name: string, mail: string, password: string) => `dn: uid=${uid},ou=people,${BASE_DN}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${name}
sn: ${name.slice(0, 1)}
mail: ${mail}
userPassword: ${password}
`;

/** A groupOfNames under ou=groups with the given member uids. */
export const group = (cn: string, uids: string[]) => `dn: cn=${cn},ou=groups,${BASE_DN}
objectClass: groupOfNames
cn: ${cn}
${uids.map((u) => `member: uid=${u},ou=people,${BASE_DN}`).join("\n")}
`;
