import { SearchField, SelectField } from "../../components/ui/Fields";
import { FLEET_SORT_LABELS, STATUS_LABELS, type FleetSort, type StatusFilter } from "./fleet";

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
      <SearchField
        label="Filter"
        ariaLabel="Filter servers"
        value={props.filter}
        placeholder="name or hostname"
        onChange={props.onFilter}
      />
      <SelectField
        label="Status"
        ariaLabel="Show servers by status"
        value={props.status}
        options={STATUS_LABELS}
        onChange={props.onStatus}
      />
      <SelectField
        label="Sort"
        ariaLabel="Sort servers"
        value={props.sort}
        options={FLEET_SORT_LABELS}
        onChange={props.onSort}
      />
    </div>
  );
}
