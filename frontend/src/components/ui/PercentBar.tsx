import { usageLevel, type UsageLevel } from "../../lib/thresholds";

interface PercentBarProps {
  percent: number;
  /** What the bar measures, for screen readers ("/data used"). */
  label: string;
  /** Its colour on the urgency scale; by percent on the built-in levels when not given. */
  level?: UsageLevel;
}

/** A usage bar coloured by urgency: green, amber or red (lib/thresholds.ts). */
export function PercentBar({ percent, label, level = usageLevel(percent) }: PercentBarProps) {
  const clamped = Math.min(100, Math.max(0, percent));
  return (
    <div
      className={`percent-bar percent-bar--${level}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped * 10) / 10}
      aria-valuetext={`${clamped.toFixed(1)} %`}
      data-level={level}
    >
      <div className="percent-bar__fill" style={{ width: `${clamped}%` }} />
    </div>
  );
}
