"""Pool and array health: ZFS pools, md arrays and btrfs device error counters."""
