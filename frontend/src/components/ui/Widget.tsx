import type { ReactNode } from "react";

interface WidgetProps {
  title: string;
  /** Controls or a figure shown beside the title. */
  aside?: ReactNode;
  className?: string;
  children: ReactNode;
}

/** A titled panel of the server page grid. */
export function Widget({ title, aside, className, children }: WidgetProps) {
  const id = `widget-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section className={`widget ${className ?? ""}`} aria-labelledby={id}>
      <header className="widget__header">
        <h2 id={id} className="widget__title">
          {title}
        </h2>
        {aside ? <div className="widget__aside">{aside}</div> : null}
      </header>
      <div className="widget__body">{children}</div>
    </section>
  );
}
