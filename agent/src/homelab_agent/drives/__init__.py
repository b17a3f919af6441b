"""Drive health: S.M.A.R.T. read with smartctl's JSON output, without waking a sleeping disk."""
