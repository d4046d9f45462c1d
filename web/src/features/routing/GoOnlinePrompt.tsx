import { Alert, Button } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMyRouting, useSetPresence } from "./routing-api";

/**
 * An agent on shift but not online receives no automatic assignments: the workspace says so and
 * offers to go online (once per visit; teams that come online by the roster or at sign-in do it themselves).
 */
export function GoOnlinePrompt() {
  const { t } = useTranslation();
  const me = useMyRouting();
  const set = useSetPresence();
  const [dismissed, setDismissed] = useState(false);
  const state = me.data;
  if (!state || dismissed || !state.onShift || state.presence === "online" || state.capacity === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      closable={{ onClose: () => setDismissed(true) }}
      data-testid="go-online-prompt"
      style={{ marginBottom: 12 }}
      title={t("routing.goOnline.title", { presence: t(`routing.presence.${state.presence}`) })}
      action={
        <Button size="small" type="primary" data-testid="go-online" loading={set.isPending} onClick={() => set.mutate("online")}>
          {t("routing.goOnline.button")}
        </Button>
      }
    />
  );
}
