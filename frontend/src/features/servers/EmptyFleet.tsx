/** Shown on a new install: how to make the first server appear. */
export function EmptyFleet({ hubUrl }: { hubUrl: string }) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No servers yet</h2>
      <p>
        Servers appear here when their agent sends its first heartbeat. On each machine you want to
        watch, install the agent and point it at this hub:
      </p>
      <pre className="code">
        <code>{`pip install ./agent          # from a checkout of HomelabCmd
export HOMELAB_AGENT_HUB_URL=${hubUrl}
export HOMELAB_AGENT_API_KEY=<the key you signed in with>
homelab-agent --once --dry-run   # shows what it would send
homelab-agent                    # reports every 60 s`}</code>
      </pre>
      <p className="muted">A systemd unit ships with the agent to run it at boot.</p>
    </section>
  );
}
