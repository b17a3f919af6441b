import { useEffect } from "react";

/** Names the browser tab after the page: "nas-1 · HomelabCmd". */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · HomelabCmd` : "HomelabCmd";
  }, [title]);
}
