export type UsageLevel = "ok" | "warning" | "critical";

/** Disk usage colour: green under 80 %, amber from 80 % to under 90 %, red from 90 %. */
export function usageLevel(percent: number): UsageLevel {
  if (percent >= 90) return "critical";
  if (percent >= 80) return "warning";
  return "ok";
}
