import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type uPlot from "uplot";
import { Notice } from "../../components/ui/Notice";
import { SegmentedControl } from "../../components/ui/SegmentedControl";
import { UPlotChart } from "../../components/ui/UPlotChart";
import { useChartPalette, type ChartPalette } from "../../lib/chartPalette";
import { attributeLabel } from "./health";
import { DRIVE_RANGES, driveHistoryQuery, type DriveRange } from "./queries";
import type { DrivePoint } from "./types";

interface Line {
  label: string;
  stroke: string;
}

/** A time chart of whole numbers: axes, grid and lines in the palette of the colour scheme. */
function lineOptions(
  lines: Line[],
  unit: string,
  palette: ChartPalette,
): Omit<uPlot.Options, "width" | "height"> {
  const show = (v: number | null | undefined) =>
    v === null || v === undefined ? "—" : `${v}${unit}`;
  // Without a hover the legend reads the newest reading, as the other charts of the page do.
  const newest = (u: uPlot, sidx: number) => {
    const values = u.data[sidx] ?? [];
    for (let i = values.length - 1; i >= 0; i -= 1) if (values[i] != null) return values[i];
    return null;
  };
  return {
    cursor: { drag: { x: false, y: false } },
    legend: { show: true },
    scales: {
      x: { time: true },
      y: {
        range: (_u, min, max) => {
          const pad = Math.max(1, (max - min) * 0.1);
          return [Math.max(0, Math.floor(min - pad)), Math.ceil(max + pad)];
        },
      },
    },
    axes: [
      {
        stroke: palette.axis,
        grid: { stroke: palette.grid },
        // Times and dates in the browser's locale.
        values: (_u, ticks, _axis, _space, incr) =>
          ticks.map((t) => {
            const at = new Date(t * 1000);
            return incr >= 86_400
              ? at.toLocaleDateString(undefined, { month: "short", day: "numeric" })
              : at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
          }),
      },
      {
        stroke: palette.axis,
        grid: { stroke: palette.grid },
        size: 64,
        values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? `${t}${unit}` : "")),
      },
    ],
    series: [
      {
        value: (_u, at, _sidx, idx) =>
          idx === null || at == null ? "latest" : new Date(at * 1000).toLocaleString(),
      },
      ...lines.map((line): uPlot.Series => ({
        label: line.label,
        stroke: line.stroke,
        width: 2,
        points: { show: true, size: 4 },
        value: (u, v, sidx, idx) => show(idx === null ? newest(u, sidx) : v),
      })),
    ],
  };
}

/** The counts worth drawing: those that are not 0 all along (all of them 0 says it in words). */
function countKeys(points: DrivePoint[]): string[] {
  const keys = new Set<string>();
  for (const point of points) {
    for (const [key, value] of Object.entries(point.attributes)) if (value > 0) keys.add(key);
  }
  return [...keys].sort();
}

interface Props {
  serverId: string;
  driveId: number;
  /** The drive, for the charts' text alternatives. */
  name: string;
}

/**
 * A drive's temperature and key counts over 24 hours to 12 months (readings come about once an
 * hour; the 12 months, one point a day), from the hub's history of the drive.
 */
export function DriveHistoryChart({ serverId, driveId, name }: Props) {
  const [range, setRange] = useState<DriveRange>("24h");
  const history = useQuery(driveHistoryQuery(serverId, driveId, range));
  const palette = useChartPalette();
  const points = useMemo(() => history.data?.points ?? [], [history.data]);
  const keys = useMemo(() => countKeys(points), [points]);
  const x = useMemo(() => points.map((p) => Date.parse(p.at) / 1000), [points]);
  const temperature = useMemo(
    (): uPlot.AlignedData => [x, points.map((p) => p.temperature_celsius)],
    [x, points],
  );
  const counts = useMemo(
    (): uPlot.AlignedData => [
      x,
      ...keys.map((key) => points.map((p) => p.attributes[key] ?? null)),
    ],
    [x, keys, points],
  );
  const temperatureOptions = useMemo(
    () => lineOptions([{ label: "temperature", stroke: palette.primary }], " °C", palette),
    [palette],
  );
  const countOptions = useMemo(
    () =>
      lineOptions(
        keys.map((key, i) => ({
          label: attributeLabel(key),
          stroke: [palette.forecast, palette.primary, palette.secondary, palette.tertiary][i % 4]!,
        })),
        "",
        palette,
      ),
    [keys, palette],
  );
  const hasTemperature = points.some((p) => p.temperature_celsius !== null);
  return (
    <div className="drive-history" data-testid="drive-history">
      <SegmentedControl
        label={`History range of ${name}`}
        options={DRIVE_RANGES}
        value={range}
        onChange={setRange}
      />
      {history.isError && !history.data ? (
        <Notice tone="error">{history.error.message}</Notice>
      ) : history.isPending ? (
        <p className="muted">Loading history…</p>
      ) : points.length === 0 ? (
        <p className="muted no-data">No readings in this range.</p>
      ) : (
        <div className={history.isPlaceholderData ? "is-stale" : undefined}>
          <h4 className="drive-history__title">Temperature</h4>
          {hasTemperature ? (
            <UPlotChart
              options={temperatureOptions}
              data={temperature}
              height={160}
              label={`Temperature of ${name} over ${range}`}
            />
          ) : (
            <p className="muted small">This drive reports no temperature.</p>
          )}
          <h4 className="drive-history__title">Key counts</h4>
          {keys.length ? (
            <UPlotChart
              options={countOptions}
              data={counts}
              height={160}
              label={`Key counts of ${name} over ${range}: ${keys.map(attributeLabel).join(", ")}`}
            />
          ) : (
            <p className="muted small" data-testid="counts-zero">
              Every key count was 0 over this range.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
