"""Names vulture cannot see used: frameworks read them by name (`make lint`, `[tool.vulture]`).

Each entry is one name, under the framework that uses it. Route functions, exception handlers,
validators and registered collectors are not listed: the decorators that hand them to their
framework are in `ignore_decorators`. Code that nothing uses is removed, never listed here.
"""

from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# Alembic reads each revision's identifiers from its module (migrations/versions/).
_.revision
_.down_revision
_.branch_labels
_.depends_on

# pydantic: the model configuration of settings and schemas.
_.model_config

# pydantic: response fields, filled from rows (`from_attributes`) or keyword arguments and read
# by serialisation only (schemas/).
_.acknowledged_by  # schemas/alert.py, and a column of db/models/alert.py
_.created_by  # schemas/alert.py, and a column of db/models/silence.py
_.unknown  # schemas/alert.py, and a column of db/models/alert.py
_.levels  # schemas/server.py FullestFilesystem, filled from a dict
_.setup_open  # schemas/auth.py
_.install_command  # schemas/enrollment.py
_.enroll_command
_.hub_url_warning
_.last_heartbeat_at
_.may_report
_.resolution  # schemas/history.py
_.total_filesystems
_.next_offset
_.url_redacted  # schemas/notification.py
_.growth_bytes_per_day  # schemas/server.py
_.forecast_basis
_.forecast_reason
_.peak_headroom_bytes
_.inodes_growth_per_day
_.inodes_full_at
_.inodes_full_at_earliest
_.inodes_full_at_latest
_.inodes_confident
_.inodes_forecast_reason
_.inodes_days_until_full
_.domain_count
_.missing_since
_.latest_heartbeat_at  # also a column of db/models/server.py
_.filesystem_count
_.fullest_filesystem
_.soonest_full_filesystem
_.missing_filesystem_count
_.vanished_filesystem_count
_.pending_commands  # schemas/heartbeat.py: what original agents expect in the answer
_.results_acknowledged
_.requested_by  # schemas/usage.py UsageScanRequest, and a column of usage_scan_request
_.growth_basis  # schemas/usage.py FilesystemUsage, a response field
_.growth_note  # schemas/usage.py FilesystemUsage, a response field
_.TIME  # domain/usage.py StoppedBy: the wire's values, parsed and shown, never compared
_.ENTRIES

# pydantic: wire fields of the heartbeat, read by name through the metric catalogue
# (`getattr(wire, metric.wire_name)`, domain/metrics.py) or kept for the snapshot. The agent's
# payload dataclasses carry the same names and are serialised with `asdict`.
_.memory_percent
_.memory_total_mb
_.memory_used_mb
_.disk_percent
_.disk_total_gb
_.disk_used_gb
_.network_rx_bytes
_.network_tx_bytes
_.load_1m
_.load_5m
_.load_15m
_.uptime_seconds
_.distribution
_.architecture
_.shadowed_bytes

# A server's last budget warning: response fields read by the UI, set by the alert pass.
_.budget_warning  # schemas.server.ServerBase, services/alerts/evaluation.py
_.budget_warning_at

# pydantic: a query value clients may send (`?state=all`), listed in the OpenAPI document.
_.ALL  # schemas.alert.AlertFilter
_.next_before_id  # schemas.audit.AuditEventList

# SQLAlchemy: TypeDecorator hooks (db/types.py).
_.impl
_.cache_ok
_.process_bind_param
_.process_result_value

# SQLAlchemy: mapped columns the hub writes and the database, SQL built from the catalogue or a
# schema reads (db/models/).
_.updated_at  # alert_rule
_.computed_at  # filesystem_trend
_.used_bytes_avg  # rollup_columns
_.password_changed_at  # user
_.finished_at  # usage_scan_request: when a scan answered or the request expired

# Starlette: app.state attributes main.py sets and api/deps.py reads by name (`_app_state`).
_.setup_gate
_.login_throttle
_.password_gate

# Agent wire dataclasses serialised with dataclasses.asdict only (the heartbeat's drives and
# pools, docs/adr/0004-drive-and-pool-wire-format.md; the hub reads them by name).
_.normalized  # agent drives/model.py
_.critical_warning
_.critical_warnings
_.available_spare_percent
_.available_spare_threshold_percent
_.unsafe_shutdowns
_.power_cycles
_.error_log_entries
_.data_read_bytes
_.data_written_bytes
_.grown_defects
_.uncorrected_read_errors
_.uncorrected_write_errors
_.uncorrected_verify_errors
_.progress_percent  # agent pools/model.py
_.examined_bytes
_.to_examine_bytes
_.repaired_bytes
_.read_errors
_.checksum_errors
_.corruption_errors
_.generation_errors
_.size_bytes
_.allocated_bytes
_.free_bytes
_.data_errors
_.raid_devices
_.active_devices
_.mismatch_count

# psutil reads its /proc root from this module attribute (agent collectors/metrics.py).
_.PROCFS_PATH

# Seams the tests and benchmarks drive directly (tests/ and bench/ are not scanned): each is the
# smallest public way in to the logic it exposes, kept so the tests need no private names.
_.kept_mounts  # agent collectors/filesystems.py: tests/agent/collectors
_.select_filesystems  # agent filesystems/filtering.py: tests/agent/filesystems/test_filtering.py
_.device_path  # agent filesystems/fstab.py: tests/agent/filesystems/test_fstab.py
_.skip_reason  # agent filesystems/statfs.py: tests/agent/filesystems/test_statfs.py
_.stuck_mounts  # agent filesystems/statfs.py: tests/agent/filesystems/test_statfs.py
_.update_trends  # services/forecast/trends.py: bench/forecast.py, bench/history.py, tests
_.EnrollmentThrottled  # api/deps.py: the per-address throttle POST /agents/enroll declares
_.last_scrub_at  # schemas/drive.py: PoolRead, a response field
_.bytes_held  # services/prometheus/fleet.py: tests/services/prometheus/test_fleet.py (memory bound)
_.own_full_at  # schemas/server.py: a response field (a filesystem's own date beside its domain's)
_.FILL_FIELDS  # domain/forecast_fields.py: the fill fields' catalogue, checked against the schemas
