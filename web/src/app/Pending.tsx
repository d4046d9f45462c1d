import { Alert, Button, Skeleton } from "antd";
import { useTranslation } from "react-i18next";
import { errorText } from "./error-text";

/**
 * What a part of a page shows until its answer arrives: a placeholder — or, once the request
 * failed, why, with a retry (a placeholder left standing would read as "still loading" forever).
 */
export function Pending({ error, retry, rows }: { error: unknown; retry: () => void; rows?: number }) {
  const { t } = useTranslation();
  if (error)
    return (
      <Alert
        type="error"
        showIcon
        data-testid="load-failed"
        title={errorText(t, error)}
        action={
          <Button size="small" onClick={retry}>
            {t("common.retry")}
          </Button>
        }
      />
    );
  return <Skeleton active {...(rows ? { paragraph: { rows } } : {})} />;
}
