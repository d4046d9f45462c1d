import { PNG } from "./zendesk-fixture";

/**
 * A small osTicket helpdesk (1.10+ schema, default `ost_` prefix): the tables the import reads, with
 * the columns osTicket's installer gives them, and rows as osTicket writes them — statuses with
 * their state (a custom one among them), priorities, departments, agents, users with their
 * default email and phone (with an extension), an organization, tickets with the subject and
 * priority in `ticket__cdata`, threads of messages (M), responses (R) and notes (N), and
 * attachments kept in the database in two chunks (and one in a storage plugin, which cannot be read).
 */
export function osTicketDatabase(db: string, prefix = "ost_") {
  const t = (name: string) => `\`${prefix}${name}\``;
  const half = PNG.length / 2;
  return `
create database ${db} character set utf8mb4;
use ${db};
create table ${t("organization")} (id int unsigned not null auto_increment primary key, name varchar(128) not null default '',
  manager varchar(16) not null default '', status int unsigned not null default 0, domain varchar(256) not null default '', extra text,
  created timestamp null, updated timestamp null);
create table ${t("user")} (id int unsigned not null auto_increment primary key, org_id int unsigned not null, default_email_id int not null,
  status int unsigned not null default 0, name varchar(128) not null, created datetime not null, updated datetime not null);
create table ${t("user_email")} (id int unsigned not null auto_increment primary key, user_id int unsigned not null,
  flags int unsigned not null default 0, address varchar(255) not null);
create table ${t("user__cdata")} (user_id int unsigned not null primary key, email mediumtext, name mediumtext, phone mediumtext, notes mediumtext);
create table ${t("staff")} (staff_id int unsigned not null auto_increment primary key, dept_id int unsigned not null default 0,
  role_id int unsigned not null default 0, username varchar(32) not null default '', firstname varchar(32), lastname varchar(32),
  email varchar(128), phone varchar(24) not null default '', isactive tinyint(1) not null default 1, isadmin tinyint(1) not null default 0,
  created datetime not null, updated datetime not null);
create table ${t("department")} (id int unsigned not null auto_increment primary key, pid int unsigned, name varchar(128) not null default '',
  signature text not null, ispublic tinyint unsigned not null default 1, path varchar(128) not null default '/', updated datetime not null, created datetime not null);
create table ${t("ticket_status")} (id int not null auto_increment primary key, name varchar(60) not null default '', state varchar(16),
  mode int unsigned not null default 0, flags int unsigned not null default 0, sort int unsigned not null default 0, properties text not null,
  created datetime not null, updated datetime not null);
create table ${t("ticket_priority")} (priority_id tinyint not null auto_increment primary key, priority varchar(60) not null default '',
  priority_desc varchar(30) not null default '', priority_color varchar(7) not null default '', priority_urgency tinyint unsigned not null default 0,
  ispublic tinyint(1) not null default 1);
create table ${t("ticket")} (ticket_id int unsigned not null auto_increment primary key, number varchar(20), user_id int unsigned not null default 0,
  user_email_id int unsigned not null default 0, status_id int unsigned not null default 0, dept_id int unsigned not null default 0,
  sla_id int unsigned not null default 0, topic_id int unsigned not null default 0, staff_id int unsigned not null default 0,
  team_id int unsigned not null default 0, email_id int unsigned not null default 0, lock_id int unsigned not null default 0,
  flags int unsigned not null default 0, ip_address varchar(64) not null default '',
  source enum('Web','Email','Phone','API','Other') not null default 'Other', isoverdue tinyint unsigned not null default 0,
  isanswered tinyint unsigned not null default 0, duedate datetime, est_duedate datetime, reopened datetime, closed datetime,
  lastupdate datetime, created datetime not null, updated datetime not null);
create table ${t("ticket__cdata")} (ticket_id int unsigned not null primary key, subject mediumtext, priority mediumtext);
create table ${t("thread")} (id int unsigned not null auto_increment primary key, object_id int unsigned not null, object_type char(1) not null,
  extra text, created datetime not null);
create table ${t("thread_entry")} (id int unsigned not null auto_increment primary key, pid int unsigned not null default 0,
  thread_id int unsigned not null default 0, staff_id int unsigned not null default 0, user_id int unsigned not null default 0,
  type char(1) not null default '', flags int unsigned not null default 0, poster varchar(128) not null default '', editor int unsigned,
  editor_type char(1), source varchar(32) not null default '', title varchar(255), body text not null, format varchar(16) not null default 'html',
  ip_address varchar(64) not null default '', created datetime not null, updated datetime not null);
create table ${t("file")} (id int not null auto_increment primary key, ft char(1) not null default 'T', bk char(1) not null default 'D',
  type varchar(255) not null default '', size bigint unsigned not null default 0, \`key\` varchar(86) not null, signature varchar(86) not null,
  name varchar(255) not null default '', attrs varchar(255), created datetime not null);
create table ${t("file_chunk")} (file_id int not null, chunk_id int not null, filedata longblob not null, primary key (file_id, chunk_id));
create table ${t("attachment")} (id int unsigned not null auto_increment primary key, object_id int unsigned not null, type char(1) not null,
  file_id int unsigned not null, inline tinyint unsigned not null default 0, lang varchar(16));

insert into ${t("organization")} (id, name, domain, created) values (1, '华南电子有限公司', 'huanan.example', '2024-12-01 10:00:00');
insert into ${t("user")} (id, org_id, default_email_id, name, created, updated) values
  (1, 1, 1, '黄磊', '2025-01-02 10:00:00', '2025-01-02 10:00:00'), (2, 0, 2, 'Lucy Chen', '2025-02-03 10:00:00', '2025-02-03 10:00:00');
insert into ${t("user_email")} (id, user_id, address) values (1, 1, 'huanglei@huanan.example'), (2, 2, 'lucy@example.com');
insert into ${t("user__cdata")} (user_id, phone) values (1, '13700001234X12');
insert into ${t("staff")} (staff_id, dept_id, username, firstname, lastname, email, created, updated) values
  (1, 2, 'zhouting', '婷', '周', 'ZhouTing@import.test', '2024-01-01 00:00:00', '2024-01-01 00:00:00'),
  (2, 1, 'mike', 'Mike', 'Old', 'mike@old.example', '2024-01-01 00:00:00', '2024-01-01 00:00:00');
insert into ${t("department")} (id, name, signature, updated, created) values
  (1, 'Support', '', '2024-01-01 00:00:00', '2024-01-01 00:00:00'), (2, '售后服务部', '', '2024-01-01 00:00:00', '2024-01-01 00:00:00');
insert into ${t("ticket_status")} (id, name, state, sort, properties, created, updated) values
  (1, 'Open', 'open', 1, '{}', now(), now()), (2, 'Resolved', 'closed', 2, '{}', now(), now()), (3, 'Closed', 'closed', 3, '{}', now(), now()),
  (4, 'Archived', 'archived', 4, '{}', now(), now()), (5, 'Deleted', 'deleted', 5, '{}', now(), now()), (6, '等待配件', 'open', 6, '{}', now(), now());
insert into ${t("ticket_priority")} (priority_id, priority, priority_desc, priority_urgency) values
  (1, 'low', 'Low', 4), (2, 'normal', 'Normal', 3), (3, 'high', 'High', 2), (4, 'emergency', 'Emergency', 1);
insert into ${t("ticket")} (ticket_id, number, user_id, status_id, dept_id, staff_id, source, created, updated, closed) values
  (1, '482913', 1, 2, 2, 1, 'Email', '2025-04-01 09:00:00', '2025-04-02 10:00:00', '2025-04-02 10:00:00'),
  (2, '482914', 2, 6, 1, 2, 'Web', '2025-10-10 14:00:00', '2025-10-10 15:00:00', null),
  (3, '482915', 1, 5, 1, 0, 'Web', '2025-10-11 14:00:00', '2025-10-11 14:00:00', null),
  (4, '482916', 2, 1, 0, 0, 'Phone', '2025-12-01 08:00:00', '2025-12-01 08:00:00', null);
insert into ${t("ticket__cdata")} (ticket_id, subject, priority) values
  (1, '路由器频繁掉线', '3'), (2, 'Refund for order 1122', '2'), (3, 'spam', '2'), (4, '安装预约', '4');
insert into ${t("thread")} (id, object_id, object_type, created) values
  (1, 1, 'T', now()), (2, 2, 'T', now()), (3, 3, 'T', now()), (4, 4, 'T', now()), (5, 1, 'A', now());
insert into ${t("thread_entry")} (id, thread_id, staff_id, user_id, type, poster, body, format, created, updated) values
  (1, 1, 0, 1, 'M', '黄磊', '<p>路由器每天掉线好几次</p>', 'html', '2025-04-01 09:00:00', '2025-04-01 09:00:00'),
  (2, 1, 1, 0, 'N', '周 婷', '可能是固件问题', 'text', '2025-04-01 09:30:00', '2025-04-01 09:30:00'),
  (3, 1, 1, 0, 'R', '周 婷', '<p>已远程升级固件，请<b>观察</b>。</p><script>alert(1)</script>', 'html', '2025-04-01 10:00:00', '2025-04-01 10:00:00'),
  (4, 1, 0, 1, 'M', '黄磊', '好的，谢谢', 'text', '2025-04-02 09:00:00', '2025-04-02 09:00:00'),
  (5, 2, 0, 2, 'M', 'Lucy Chen', 'I want a refund', 'text', '2025-10-10 14:00:00', '2025-10-10 14:00:00'),
  (6, 2, 2, 0, 'R', 'Mike Old', 'Approved, waiting for the part.', 'text', '2025-10-10 15:00:00', '2025-10-10 15:00:00'),
  (7, 4, 0, 2, 'M', 'Lucy Chen', '想预约安装', 'text', '2025-12-01 08:00:00', '2025-12-01 08:00:00'),
  (8, 5, 1, 0, 'N', '周 婷', 'a task thread, not a ticket', 'text', '2025-04-01 09:00:00', '2025-04-01 09:00:00');
insert into ${t("file")} (id, bk, type, size, \`key\`, signature, name, created) values
  (1, 'D', 'image/png', ${PNG.length}, 'k1', 's1', 'router.png', now()), (2, 'F', 'application/pdf', 1000, 'k2', 's2', 'manual.pdf', now());
insert into ${t("file_chunk")} (file_id, chunk_id, filedata) values
  (1, 0, x'${PNG.subarray(0, half).toString("hex")}'), (1, 1, x'${PNG.subarray(half).toString("hex")}');
insert into ${t("attachment")} (object_id, type, file_id) values (1, 'H', 1), (6, 'H', 2);
`;
}
