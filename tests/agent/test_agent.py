"""The runner and the loop: broken collectors, heartbeat assembly, deadline scheduling."""

import threading
from dataclasses import replace
from pathlib import Path

from homelab_agent.agent import Agent, build_heartbeat
from homelab_agent.collectors import Collector, build_collectors, registry, run_collectors
from homelab_agent.config import AgentConfig
from homelab_agent.delivery.spool import Spool
from homelab_agent.delivery.transport import Outcome, SendResult
from homelab_agent.payload import FilesystemSample, MetricsSample


class Broken:
    def collect(self) -> object:
        raise RuntimeError("apt not found")


class Fixed:
    def __init__(self, value: object) -> None:
        self.value = value

    def collect(self) -> object:
        return self.value


class FakeClient:
    """Stands in for HubClient: answers from a fixed outcome, records bodies."""

    def __init__(self, outcome: Outcome = Outcome.DELIVERED) -> None:
        self.outcome = outcome
        self.bodies: list[bytes] = []

    def send(self, body: bytes, deadline: float | None = None) -> SendResult:
        self.bodies.append(body)
        return SendResult(self.outcome, "")

    def close(self) -> None:
        pass


ROOT = FilesystemSample("/", "/dev/sda1", "ext4", 100, 40, 50, 44.44)


def test_builtin_collectors_are_registered_and_enabled() -> None:
    regs = registry()
    assert {"filesystems", "metrics", "os_info"} <= set(regs)
    assert all(regs[name].default_enabled for name in ("filesystems", "metrics", "os_info"))


def test_config_switches_a_collector_off() -> None:
    config = AgentConfig(server_id="x", disabled_collectors=("os_info", "metrics", "drives"))
    assert set(build_collectors(config)) == {"filesystems", "pools"}


def test_broken_collector_becomes_an_error_and_the_others_still_report() -> None:
    collectors: dict[str, Collector] = {
        "packages": Broken(),
        "filesystems": Fixed([ROOT]),
    }
    result = run_collectors(collectors)
    assert result.errors == {"packages": "RuntimeError: apt not found"}
    assert result.samples["filesystems"] == [ROOT]


def test_heartbeat_carries_samples_and_collector_errors(agent_config: AgentConfig) -> None:
    collectors: dict[str, Collector] = {
        "metrics": Fixed(MetricsSample(cpu_percent=5.0)),
        "filesystems": Fixed([ROOT]),
        "os_info": Broken(),
    }
    body = build_heartbeat(agent_config, collectors).to_dict()
    assert body["server_id"] == "test-host"
    assert body["metrics"]["cpu_percent"] == 5.0
    assert body["filesystems"][0]["mount_point"] == "/"
    assert body["os_info"] is None
    assert body["collector_errors"] == {"os_info": "RuntimeError: apt not found"}
    assert body["timestamp"].endswith("Z")


def _agent(config: AgentConfig, client: FakeClient, clock: list[float]) -> Agent:
    return Agent(
        config,
        collectors={"filesystems": Fixed([ROOT])},
        client=client,
        spool=Spool(config.spool_dir),
        clock=lambda: clock[0],
        rand=lambda: 1.0,
    )


def test_run_once_reports_delivery(agent_config: AgentConfig) -> None:
    client = FakeClient()
    assert _agent(agent_config, client, [0.0]).run_once() is True
    assert len(client.bodies) == 1


def test_run_once_keeps_the_heartbeat_when_the_hub_is_down(agent_config: AgentConfig) -> None:
    agent = _agent(agent_config, FakeClient(Outcome.RETRY_LATER), [0.0])
    assert agent.run_once() is False
    assert len(agent.spool.pending()) == 1


class StopAfter(Fixed):
    """A collector that ends the loop after `cycles` collections."""

    def __init__(self, value: object, cycles: int, stop: threading.Event) -> None:
        super().__init__(value)
        self.left = cycles
        self.stop = stop

    def collect(self) -> object:
        self.left -= 1
        if self.left == 0:
            self.stop.set()
        return self.value


def test_collection_keeps_its_schedule_while_the_hub_is_down(
    agent_config: AgentConfig, tmp_path: Path
) -> None:
    config = replace(agent_config, interval=0.05, spool_dir=tmp_path / "down")
    client = FakeClient(Outcome.RETRY_LATER)
    stop = threading.Event()
    agent = Agent(
        config,
        collectors={"filesystems": StopAfter([ROOT], cycles=10, stop=stop)},
        client=client,
        spool=Spool(config.spool_dir),
    )
    # Ten cycles, however long a busy machine makes them: each one is collected and spooled,
    # none waits for the hub that does not answer.
    agent.run_forever(stop)
    spooled = len(agent.spool.pending())
    assert spooled == 10
    # Delivery backs off: far fewer attempts than cycles.
    assert len(client.bodies) < spooled


def test_delivery_backs_off_while_the_hub_is_down(agent_config: AgentConfig) -> None:
    clock = [100.0]
    agent = _agent(agent_config, FakeClient(Outcome.RETRY_LATER), clock)
    agent.collect_and_spool()
    agent.deliver()
    first = agent._next_delivery
    agent.deliver()
    assert first > clock[0]
    assert agent._next_delivery - clock[0] > first - clock[0]
