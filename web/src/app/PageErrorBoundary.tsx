import { Button, Result } from "antd";
import { Component, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

function PageError() {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t("app.pageError.title")}
      subTitle={t("app.pageError.body")}
      extra={[
        <Button key="reload" type="primary" onClick={() => window.location.reload()}>
          {t("app.pageError.reload")}
        </Button>,
        <Button key="home" href="/">
          {t("app.pageError.home")}
        </Button>,
      ]}
      data-testid="page-error"
    />
  );
}

/**
 * A page that throws while rendering shows a message with a reload button instead of a blank window
 * (React unmounts everything on an uncaught error; it still logs the error to the console itself).
 * Going to another address (`resetKey`) tries again.
 */
export class PageErrorBoundary extends Component<{ resetKey: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  componentDidUpdate(previous: { resetKey: string }) {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) this.setState({ failed: false });
  }

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    return this.state.failed ? <PageError /> : this.props.children;
  }
}
