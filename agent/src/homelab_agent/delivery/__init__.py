"""Getting heartbeats to the hub: the spool, the HTTP transport, TLS trust and enrollment."""
