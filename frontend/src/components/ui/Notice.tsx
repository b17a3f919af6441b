import type { ReactNode } from "react";

interface NoticeProps {
  tone?: "info" | "warning" | "error";
  title?: string;
  children: ReactNode;
}

/** A boxed message: errors are announced to screen readers. */
export function Notice({ tone = "info", title, children }: NoticeProps) {
  return (
    <div className={`notice notice--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title ? <p className="notice__title">{title}</p> : null}
      <div>{children}</div>
    </div>
  );
}
