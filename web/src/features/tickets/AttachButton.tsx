import { PaperClipOutlined } from "@ant-design/icons";
import { Button, Tag, Upload } from "antd";
import { useTranslation } from "react-i18next";
import type { useAttachments } from "./useAttachments";

/** Ant Design's upload: the attach button and the files waiting to be sent (each removable). */
export function AttachButton({ attachments }: { attachments: ReturnType<typeof useAttachments> }) {
  const { t } = useTranslation();
  return (
    <>
      <Upload
        multiple
        showUploadList={false}
        // The files go up at once (their ids are sent with the message); Upload only picks them.
        beforeUpload={(file, list) => {
          if (file === list[list.length - 1]) void attachments.attach(list as File[]);
          return false;
        }}
        // The input Upload renders, findable by tests that set files on it.
        data-testid="file-input"
      >
        <Button loading={attachments.uploading} icon={<PaperClipOutlined />}>
          {t("ticket.attach")}
        </Button>
      </Upload>
      {attachments.files.length > 0 && (
        <span data-testid="pending-attachments">
          {attachments.files.map((f) => (
            <Tag key={f.id} closable onClose={() => attachments.remove(f.id)}>
              {f.filename}
            </Tag>
          ))}
        </span>
      )}
    </>
  );
}
