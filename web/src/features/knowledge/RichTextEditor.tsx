import { BoldOutlined, ItalicOutlined, LinkOutlined, OrderedListOutlined, PictureOutlined, UnorderedListOutlined } from "@ant-design/icons";
import Image from "@tiptap/extension-image";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { App, Button, Space, Tooltip } from "antd";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { errorText } from "../../app/error-text";
import { uploadKbFile } from "./knowledge-api";

/**
 * The article editor (TipTap): headings, bold, italic, lists, quotes, links and images uploaded
 * with the article. It edits HTML; the server sanitizes what is saved.
 */
export function RichTextEditor({
  value,
  onChange,
  onUploaded,
  label,
}: {
  value: string;
  onChange: (html: string) => void;
  onUploaded: (fileId: number) => void;
  label: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fileInput = useRef<HTMLInputElement>(null);
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false } }), Image],
    content: value,
    editorProps: { attributes: { "aria-label": label, class: "rich-text", "data-testid": "article-editor" } },
    onUpdate: ({ editor }) => onChange(editor.getHTML()),
  });
  // Another language or version loaded from outside replaces the content. When a suspended part of
  // the page hid this one, useEditor destroyed its editor (schema gone) and renders a new one with the
  // current value: the effect, reconnected with the old one, leaves it alone.
  useEffect(() => {
    if (editor?.schema && value !== editor.getHTML()) editor.commands.setContent(value, { emitUpdate: false });
  }, [editor, value]);
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e?.isActive("bold") ?? false,
      italic: e?.isActive("italic") ?? false,
      h2: e?.isActive("heading", { level: 2 }) ?? false,
      bullet: e?.isActive("bulletList") ?? false,
      ordered: e?.isActive("orderedList") ?? false,
      quote: e?.isActive("blockquote") ?? false,
    }),
  });
  if (!editor) return null;
  const chain = () => editor.chain().focus();
  const tool = (key: string, active: boolean | undefined, onClick: () => void, icon: React.ReactNode) => (
    <Tooltip title={t(`knowledge.editor.${key}`)}>
      <Button size="small" type={active ? "primary" : "text"} aria-label={t(`knowledge.editor.${key}`)} icon={icon} onClick={onClick} />
    </Tooltip>
  );
  const addImage = async (file: File) => {
    try {
      const uploaded = await uploadKbFile(file);
      onUploaded(uploaded.id);
      if (uploaded.contentType.startsWith("image/")) chain().setImage({ src: uploaded.url, alt: uploaded.filename }).run();
      else
        chain()
          .insertContent(`<a href="${uploaded.url}">${uploaded.filename.replace(/[<>&"]/g, "")}</a>`)
          .run();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <div className="rich-text-frame">
      <Space size={2} wrap className="rich-text-toolbar">
        {tool("heading", state?.h2, () => chain().toggleHeading({ level: 2 }).run(), <b>H</b>)}
        {tool("bold", state?.bold, () => chain().toggleBold().run(), <BoldOutlined />)}
        {tool("italic", state?.italic, () => chain().toggleItalic().run(), <ItalicOutlined />)}
        {tool("bulletList", state?.bullet, () => chain().toggleBulletList().run(), <UnorderedListOutlined />)}
        {tool("orderedList", state?.ordered, () => chain().toggleOrderedList().run(), <OrderedListOutlined />)}
        {tool("quote", state?.quote, () => chain().toggleBlockquote().run(), <b>“</b>)}
        {tool(
          "link",
          false,
          () => {
            const href = window.prompt(t("knowledge.editor.linkPrompt"), "https://");
            if (href && /^(https?:|mailto:|\/)/.test(href)) chain().extendMarkRange("link").setLink({ href }).run();
          },
          <LinkOutlined />,
        )}
        {tool("image", false, () => fileInput.current?.click(), <PictureOutlined />)}
        <input
          ref={fileInput}
          type="file"
          hidden
          data-testid="article-file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void addImage(file);
            e.target.value = "";
          }}
        />
      </Space>
      <EditorContent editor={editor} />
    </div>
  );
}
