"""`homelab-agent doctor`: what the agent can and cannot see, why, and the fix for each.

One module per group of checks (`mount_table`, `filesystems`, `drives`, `hub`, `local`), each
check a small function returning a `Finding`; `printer` shows them, `command` runs them.
"""

from homelab_agent.doctor.command import add_parser, doctor_command

__all__ = ["add_parser", "doctor_command"]
