import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { HubUnreachable } from "../../components/ui/HubUnreachable";
import { Notice } from "../../components/ui/Notice";
import { formatAgo } from "../../lib/format";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatPowerOn, formatTemperature, healthLevel, kindLabel } from "./health";
import { fleetDrivesQuery } from "./queries";
import { DEFAULT_ORDER, isDriveSort, sortDrives, type DriveSort, type SortOrder } from "./sort";
import type { DriveRead } from "./types";
import "./drives.css";

const COLUMNS: { sort: DriveSort; label: string }[] = [
  { sort: "health", label: "Health" },
  { sort: "server", label: "Server" },
  { sort: "model", label: "Drive" },
  { sort: "temperature", label: "Temperature" },
  { sort: "hours", label: "Power-on" },
];

function DriveRow({ drive }: { drive: DriveRead }) {
  const level = healthLevel(drive.health);
  const to = `/servers/${encodeURIComponent(drive.server_id)}#drive-${drive.id}`;
  return (
    <tr data-testid="fleet-drive" data-health={drive.health} className={`drives-row--${level}`}>
      <td>
        <span className={`drive-badge drive-badge--${level}`}>{drive.health}</span>
        {drive.reasons.length ? (
          <span className="drives-table__reasons small">{drive.reasons.join("; ")}</span>
        ) : null}
      </td>
      <td>
        <Link to={`/servers/${encodeURIComponent(drive.server_id)}`}>{drive.server_id}</Link>
      </td>
      <td>
        <Link to={to} className="drives-table__drive">
          {drive.model ?? drive.name}
        </Link>
        <span className="muted small">
          {" "}
          {drive.name}
          {drive.serial ? ` · ${drive.serial}` : ""} · {kindLabel(drive.kind)}
          {drive.filesystems.length ? ` · ${drive.filesystems.join(", ")}` : ""}
          {drive.health === "asleep" && drive.asleep_since
            ? ` · asleep since ${formatAgo(drive.asleep_since)}`
            : ""}
        </span>
      </td>
      <td className="drives-table__number">{formatTemperature(drive.temperature_celsius)}</td>
      <td className="drives-table__number">{formatPowerOn(drive.power_on_hours)}</td>
    </tr>
  );
}

/** Every drive of the fleet in one sortable table, worst first; each row opens its drive. */
export function DrivesPage() {
  useDocumentTitle("Drives");
  const drives = useQuery(fleetDrivesQuery());
  const [params, setParams] = useSearchParams();
  const sortParam = params.get("sort");
  const by: DriveSort = isDriveSort(sortParam) ? sortParam : "health";
  const order: SortOrder =
    params.get("order") === "asc" || params.get("order") === "desc"
      ? (params.get("order") as SortOrder)
      : DEFAULT_ORDER[by];
  const rows = useMemo(
    () => sortDrives(drives.data?.data ?? [], by, order),
    [drives.data, by, order],
  );

  function sortBy(column: DriveSort) {
    const next = column === by ? (order === "asc" ? "desc" : "asc") : DEFAULT_ORDER[column];
    setParams({ sort: column, order: next }, { replace: true });
  }

  const failing = rows.filter((d) => d.health === "failed").length;
  const warning = rows.filter((d) => d.health === "warning").length;
  return (
    <main className="page" id="main">
      <div className="page__title-row">
        <div>
          <h1>Drives</h1>
          {drives.data ? (
            <p className="muted" data-testid="drives-summary">
              {drives.data.count} drives · {failing} failing · {warning} with a warning
            </p>
          ) : null}
        </div>
      </div>
      {drives.isError && drives.data ? (
        <HubUnreachable error={drives.error} updatedAt={drives.dataUpdatedAt} />
      ) : null}
      {drives.isPending ? (
        <p className="muted" role="status">
          Loading drives…
        </p>
      ) : drives.isError && !drives.data ? (
        <Notice tone="error" title="Could not load the drives">
          {drives.error.message}
        </Notice>
      ) : rows.length === 0 ? (
        <p className="muted">
          No drives reported yet: agents read them with smartctl once an hour.
        </p>
      ) : (
        <div className="drives-table-wrap">
          <table className="drives-table">
            <caption className="drives-hidden">Drives of the fleet, sortable by column</caption>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th
                    key={column.sort}
                    scope="col"
                    aria-sort={
                      column.sort === by ? (order === "asc" ? "ascending" : "descending") : "none"
                    }
                  >
                    <button
                      type="button"
                      className="drives-table__sort"
                      onClick={() => sortBy(column.sort)}
                    >
                      {column.label}
                      <span aria-hidden="true">
                        {column.sort === by ? (order === "asc" ? " ▲" : " ▼") : ""}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((drive) => (
                <DriveRow key={drive.id} drive={drive} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
