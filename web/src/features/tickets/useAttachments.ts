import { App } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type UploadedFile, uploadFile } from "../../api/client";
import { errorText } from "../../app/error-text";

/** Files uploaded ahead of a message or a new ticket; their ids go with it when it is sent. */
export function useAttachments() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [uploading, setUploading] = useState(0);
  const attach = async (list: File[]) => {
    for (const file of list) {
      setUploading((n) => n + 1);
      try {
        const uploaded = await uploadFile(file);
        setFiles((f) => [...f, uploaded]);
      } catch (e) {
        void message.error(`${file.name}: ${errorText(t, e)}`);
      } finally {
        setUploading((n) => n - 1);
      }
    }
  };
  return {
    files,
    uploading: uploading > 0,
    attach,
    remove: (id: number) => setFiles((list) => list.filter((x) => x.id !== id)),
    clear: () => setFiles([]),
  };
}
