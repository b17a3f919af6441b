import { MiddleEllipsis } from "../../components/ui/MiddleEllipsis";
import { formatBytes, formatDateTime } from "../../lib/format";
import type { Changes } from "./growth";
import type { UsageGrowth } from "./types";

/** "+46.0 GiB", "-2.0 GiB", "0 B". */
export const formatChange = (bytes: number): string =>
  `${bytes > 0 ? "+" : ""}${formatBytes(bytes)}`;

interface GrowthBarsProps {
  changes: Changes;
  /** When the scan compared against was taken. */
  since: string;
}

/**
 * The directories that grew most since the previous scan, then those that shrank, each with a
 * bar scaled to the largest change shown, its change and its size then and now.
 */
export function GrowthBars({ changes, since }: GrowthBarsProps) {
  const { total, growers, shrinkers } = changes;
  const rows = [...growers, ...shrinkers];
  const largest = Math.max(...rows.map((g) => Math.abs(g.change)), 1);
  return (
    <section className="usage-growth" aria-labelledby="usage-growth-title">
      <h3 id="usage-growth-title" className="usage__subtitle">
        Since {formatDateTime(since)}
        {total ? (
          <span className="usage-growth__total" data-testid="growth-total">
            {" "}
            · {formatChange(total.change)} in total ({formatBytes(total.bytes_then)} →{" "}
            {formatBytes(total.bytes_now)})
          </span>
        ) : null}
      </h3>
      {rows.length === 0 ? (
        <p className="muted" data-testid="no-growth">
          No directory grew or shrank since then.
        </p>
      ) : (
        <ol className="usage-growth__list" aria-label="Directories that grew or shrank">
          {rows.map((g) => (
            <GrowthRow key={g.path} growth={g} largest={largest} />
          ))}
        </ol>
      )}
    </section>
  );
}

function GrowthRow({ growth, largest }: { growth: UsageGrowth; largest: number }) {
  const grew = growth.change > 0;
  const width = (Math.abs(growth.change) / largest) * 100;
  return (
    <li
      className={`usage-growth__row usage-growth__row--${grew ? "grew" : "shrank"}`}
      data-testid="grower"
      data-path={growth.path}
      data-change={growth.change}
    >
      <MiddleEllipsis className="usage-growth__path mono" text={growth.path} />
      <span className="usage-growth__bar" aria-hidden="true">
        <span
          className="usage-growth__fill"
          data-testid="grower-bar"
          style={{ width: `${width.toFixed(1)}%` }}
        />
      </span>
      <span className="usage-growth__change">{formatChange(growth.change)}</span>
      <span className="usage-growth__sizes muted small">
        {formatBytes(growth.bytes_then)} → {formatBytes(growth.bytes_now)}
      </span>
    </li>
  );
}
