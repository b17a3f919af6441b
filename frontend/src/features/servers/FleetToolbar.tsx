import { FLEET_SORT_LABELS, type FleetSort, type StatusFilter } from "./fleet";

interface FleetToolbarProps {
  filter: string;
  onFilter: (value: string) => void;
  status: StatusFilter;
  onStatus: (value: StatusFilter) => void;
  sort: FleetSort;
  onSort: (value: FleetSort) => void;
}

export function FleetToolbar(props: FleetToolbarProps) {
  return (
    <div className="toolbar" role="search">
      <label className="field">
        <span className="field__label">Filter</span>
        <input
          type="search"
          value={props.filter}
          placeholder="name or hostname"
          onChange={(event) => props.onFilter(event.target.value)}
          aria-label="Filter servers"
        />
      </label>
      <label className="field">
        <span className="field__label">Status</span>
        <select
          value={props.status}
          onChange={(event) => props.onStatus(event.target.value as StatusFilter)}
          aria-label="Show servers by status"
        >
          <option value="all">All</option>
          <option value="online">Online</option>
          <option value="offline">Offline</option>
        </select>
      </label>
      <label className="field">
        <span className="field__label">Sort</span>
        <select
          value={props.sort}
          onChange={(event) => props.onSort(event.target.value as FleetSort)}
          aria-label="Sort servers"
        >
          {Object.entries(FLEET_SORT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
