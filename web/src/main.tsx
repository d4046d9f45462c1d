import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { z } from "zod";
import { App } from "./app/App";
import "./app/i18n";
import "./app/global.css";

// The pages' Content-Security-Policy allows no eval: zod must not probe for it (the probe alone is reported as a violation).
z.config({ jitless: true });

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
