import type { ProcessEdge, ProcessGraph } from "@loopdesk/contracts/processes";
import { Button, Checkbox, Form, Input, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ConditionsEditor } from "./ConditionsEditor";

/** The side panel for a selected connection: its label and, out of a condition gateway, its conditions or being the default. */
export function EdgePanel({
  edge,
  graph,
  onChange,
  onDelete,
}: {
  edge: ProcessEdge;
  graph: ProcessGraph;
  onChange: (patch: Partial<ProcessEdge>) => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const fromGateway = graph.nodes.find((n) => n.id === edge.source)?.type === "exclusive";
  const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name || id;
  return (
    <Form layout="vertical" size="small" data-testid="edge-panel">
      <Typography.Text type="secondary">
        {name(edge.source)} → {name(edge.target)}
      </Typography.Text>
      <Form.Item label={t("designer.edgeLabel")}>
        <Input aria-label={t("designer.edgeLabel")} value={edge.label} onChange={(e) => onChange({ label: e.target.value })} />
      </Form.Item>
      {fromGateway && (
        <>
          <Form.Item>
            <Checkbox checked={edge.isDefault} onChange={(e) => onChange({ isDefault: e.target.checked })} data-testid="edge-default">
              {t("designer.isDefault")}
            </Checkbox>
          </Form.Item>
          {!edge.isDefault && (
            <Form.Item label={t("designer.edgeWhen")}>
              <ConditionsEditor value={edge.when} graph={graph} onChange={(when) => onChange({ when })} />
            </Form.Item>
          )}
        </>
      )}
      <Button danger block onClick={onDelete}>
        {t("designer.deleteEdge")}
      </Button>
    </Form>
  );
}
