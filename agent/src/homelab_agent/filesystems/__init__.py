"""What the `filesystems` collector is made of: the mount table and its keep/drop rules, fstab
and missing mounts, capacity domains, and statvfs through an abandonable helper process.

Kept free of imports: the statvfs helper (`python -m homelab_agent.filesystems.probe_helper`)
starts through this package and should start fast.
"""
