"""`python -m homelab_cmd` runs the command line."""

from homelab_cmd.cli import main

raise SystemExit(main())
