import { Modal, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { readStored, writeStored } from "./browser-storage";

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement &&
  (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || el.getAttribute("role") === "combobox");

/** Single-key shortcuts, ignored while the user is typing in a field. */
export function useShortcuts(map: Record<string, () => void>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const action = map[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [map]);
}

export const SHORTCUTS = [
  ["j", "next"],
  ["k", "previous"],
  ["Enter", "open"],
  ["c", "create"],
  ["r", "reply"],
  ["n", "note"],
  ["s", "solve"],
  ["?", "help"],
] as const;

/** "?" anywhere opens the list of shortcuts. */
export function ShortcutHelp() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  useShortcuts({ "?": () => setOpen(true) });
  return (
    <Modal open={open} onCancel={() => setOpen(false)} footer={null} title={t("shortcuts.title")}>
      <table data-testid="shortcut-help" style={{ width: "100%" }}>
        <tbody>
          {SHORTCUTS.map(([key, action]) => (
            <tr key={key}>
              <td style={{ width: 90, padding: "4px 0" }}>
                <Typography.Text keyboard>{key}</Typography.Text>
              </td>
              <td>{t(`shortcuts.${action}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

/** The ticket ids of the list last shown, so "next ticket" works from a ticket page. */
const LAST_LIST_KEY = "loopdesk.lastList";
export const rememberList = (ids: number[]) => writeStored("session", LAST_LIST_KEY, JSON.stringify(ids));
export function neighbourTicket(id: number, step: 1 | -1): number | undefined {
  try {
    const ids = JSON.parse(readStored("session", LAST_LIST_KEY) ?? "[]") as number[];
    const i = ids.indexOf(id);
    return i >= 0 ? ids[i + step] : undefined;
  } catch {
    return undefined;
  }
}
