/*
 * Loopdesk web widget. Embed on any page:
 *   <script src="https://desk.example.com/widget.js" data-lang="zh-CN" async></script>
 * A button opens the request form (and the visitor's conversations) in an iframe served by Loopdesk.
 * Strings: the button's label in the two UI languages (the form itself is translated by the app).
 */
(() => {
  const script = document.currentScript;
  if (!script || window.__loopdeskWidget) return;
  window.__loopdeskWidget = true;
  const origin = new URL(script.src).origin;
  const lang = script.dataset.lang === "en" ? "en" : "zh-CN";
  const labels = { "zh-CN": { open: "联系客服", close: "关闭" }, en: { open: "Contact support", close: "Close" } }[lang];

  const button = document.createElement("button");
  button.type = "button";
  button.textContent = labels.open;
  button.setAttribute("data-loopdesk-widget", "button");
  Object.assign(button.style, {
    position: "fixed",
    right: "20px",
    bottom: "20px",
    zIndex: "2147483000",
    padding: "10px 16px",
    border: "none",
    borderRadius: "20px",
    background: script.dataset.color || "#1f6feb",
    color: "#fff",
    font: "14px/1.4 system-ui, sans-serif",
    cursor: "pointer",
    boxShadow: "0 4px 12px rgba(0,0,0,.2)",
  });

  let frame = null;
  button.addEventListener("click", () => {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = `${origin}/widget?lang=${encodeURIComponent(lang)}`;
      frame.title = labels.open;
      frame.setAttribute("data-loopdesk-widget", "frame");
      Object.assign(frame.style, {
        position: "fixed",
        right: "20px",
        bottom: "70px",
        zIndex: "2147483000",
        width: "380px",
        maxWidth: "calc(100vw - 40px)",
        height: "560px",
        maxHeight: "calc(100vh - 100px)",
        border: "1px solid #ddd",
        borderRadius: "8px",
        background: "#fff",
        boxShadow: "0 8px 24px rgba(0,0,0,.2)",
      });
      document.body.appendChild(frame);
      button.textContent = labels.close;
      return;
    }
    const hidden = frame.style.display === "none";
    frame.style.display = hidden ? "block" : "none";
    button.textContent = hidden ? labels.close : labels.open;
  });
  document.body.appendChild(button);
})();
