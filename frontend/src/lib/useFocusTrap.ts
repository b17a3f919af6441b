import { useEffect, useState, type RefObject } from "react";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside a modal dialog (the page behind is inert to the keyboard), and
 * gives the focus back to what had it when the dialog closes.
 */
export function useFocusTrap(ref: RefObject<HTMLElement | null>): void {
  // What had the focus when the dialog first rendered (before its autoFocus moved it).
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const root = ref.current;
      if (event.key !== "Tab" || !root) return;
      const items = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return;
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const inside = root.contains(document.activeElement);
      if (event.shiftKey && (document.activeElement === first || !inside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault();
        first.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      opener?.focus?.();
    };
  }, [ref, opener]);
}
