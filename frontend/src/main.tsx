import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
// The global rules and colour properties first; each feature's CSS, imported by its parts, follows.
import "./index.css";
import { App } from "./app/App";
import { createQueryClient } from "./lib/queryClient";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App queryClient={createQueryClient()} />
  </StrictMode>,
);
