import { usageLevel } from "../../lib/thresholds";

interface PercentBarProps {
  percent: number;
  /** What the bar measures, for screen readers ("/data used"). */
  label: string;
}

/** A usage bar coloured by threshold: green < 80 %, amber 80–90 %, red ≥ 90 %. */
export function PercentBar({ percent, label }: PercentBarProps) {
  const clamped = Math.min(100, Math.max(0, percent));
  const level = usageLevel(percent);
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
