"""A batch's metric rows go in one statement: each heartbeat still gets the answer it had alone."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Filesystem, FilesystemSample, Server, ServerMetric
from homelab_cmd.domain.access import Role
from homelab_cmd.errors import ReplayTooClose, ServerLimitReached, Unauthorized
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.access.tokens import revoke_token
from homelab_cmd.services.ingest.limits import Limits
from homelab_cmd.services.ingest.store import Arrival, HeartbeatStore, StoredHeartbeat
from tests.factories import filesystem_payload, heartbeat_payload, make_server, make_token

NOW = datetime.now(UTC).replace(microsecond=0)
# Back-dated past REPLAY_AFTER_SECONDS: held to the replay spacing.
OLD = NOW - timedelta(days=1)


def _beat(at: datetime, server_id: str = "nas", **extra: Any) -> HeartbeatRequest:
    return HeartbeatRequest.model_validate(
        heartbeat_payload(server_id=server_id, timestamp=at, **extra)
    )


def _store(
    engine: Engine, store: HeartbeatStore, arrivals: list[Arrival]
) -> list[StoredHeartbeat | Exception]:
    credentials = [(h.server_id, token) for h, _, token in arrivals if token is not None]
    with engine.begin() as conn, store.batched(conn, credentials):
        return list(store.store_many(conn, arrivals))


def _answers(outcomes: list[StoredHeartbeat | Exception]) -> list[str]:
    return [
        type(o).__name__ if isinstance(o, Exception) else ("replay" if o.duplicate else "new")
        for o in outcomes
    ]


def _metric_rows(engine: Engine) -> list[tuple[str, datetime]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(ServerMetric.server_id, ServerMetric.sampled_at).order_by(
                ServerMetric.server_id, ServerMetric.sampled_at
            )
        )
        return [(server, at) for server, at in rows]


def _server(engine: Engine, server_id: str = "nas") -> Any:
    with engine.connect() as conn:
        return conn.execute(select(Server).where(Server.id == server_id)).one()


def test_two_heartbeats_of_one_batch_with_one_instant_store_it_once(engine: Engine) -> None:
    first = _beat(NOW - timedelta(minutes=1), agent_version="1.0.0")
    retry = _beat(NOW - timedelta(minutes=1), agent_version="9.9.9")  # same server and instant
    other = _beat(NOW - timedelta(minutes=1), server_id="web")

    outcomes = _store(
        engine,
        HeartbeatStore(),
        [(first, NOW - timedelta(seconds=2), None), (retry, NOW, None), (other, NOW, None)],
    )

    assert _answers(outcomes) == ["new", "replay", "new"]
    assert _metric_rows(engine) == [
        ("nas", NOW - timedelta(minutes=1)),
        ("web", NOW - timedelta(minutes=1)),
    ]
    server = _server(engine)
    # The replay stored nothing of its own, but it is the last contact.
    assert server.agent_version == "1.0.0"
    assert server.last_seen_at == NOW
    with engine.connect() as conn:
        samples = conn.scalar(select(func.count()).select_from(FilesystemSample))
    assert samples == 4  # two filesystems of each new heartbeat, none of the replay


def test_a_replay_is_spaced_from_the_heartbeats_before_it_in_its_batch(engine: Engine) -> None:
    store = HeartbeatStore(Limits(replay_spacing_seconds=30, replay_heartbeats_per_minute=1000))
    instants = [OLD, OLD + timedelta(seconds=10), OLD, OLD + timedelta(seconds=60)]

    outcomes = _store(engine, store, [(_beat(at), NOW, None) for at in instants])

    # The second lies 10 s from the first, stored earlier in the same batch; the third is the
    # first's very instant: a harmless duplicate, not a refusal.
    assert _answers(outcomes) == ["new", "ReplayTooClose", "replay", "new"]
    assert isinstance(outcomes[1], ReplayTooClose)
    assert _metric_rows(engine) == [("nas", OLD), ("nas", OLD + timedelta(seconds=60))]


def test_a_heartbeat_refused_in_a_batch_leaves_the_others_and_its_instant_alone(
    engine: Engine,
) -> None:
    make_server(engine, "nas")
    revoked, _ = make_token(engine, Role.AGENT, server_id="nas", name="old")
    valid, _ = make_token(engine, Role.AGENT, server_id="nas", name="new")
    with Session(engine) as session:
        revoke_token(session, revoked, lambda _: None)
    at = NOW - timedelta(minutes=1)

    outcomes = _store(
        engine,
        HeartbeatStore(),
        [
            (_beat(at, agent_version="1.0.0"), NOW, revoked),
            (_beat(at, agent_version="2.0.0"), NOW, valid),
            (_beat(at, server_id="web"), NOW, None),
        ],
    )

    # The refused one claimed nothing: the same instant with a valid token is new.
    assert _answers(outcomes) == ["Unauthorized", "new", "new"]
    assert isinstance(outcomes[0], Unauthorized)
    assert _metric_rows(engine) == [("nas", at), ("web", at)]
    assert _server(engine).agent_version == "2.0.0"


def test_servers_over_the_cap_are_refused_within_one_batch(engine: Engine) -> None:
    store = HeartbeatStore(Limits(servers=2))
    at = NOW - timedelta(minutes=1)
    beats = [_beat(at, server_id=s) for s in ("a", "b", "c")] + [_beat(NOW, server_id="a")]

    outcomes = _store(engine, store, [(beat, NOW, None) for beat in beats])

    assert _answers(outcomes) == ["new", "new", "ServerLimitReached", "new"]
    assert isinstance(outcomes[2], ServerLimitReached)
    assert [server for server, _ in _metric_rows(engine)] == ["a", "a", "b"]
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Filesystem)) == 4
        assert set(conn.scalars(select(Server.id))) == {"a", "b"}


def test_a_batch_of_several_servers_keeps_each_ones_newest_snapshot(engine: Engine) -> None:
    # Interleaved, out of order, with a replay of an instant stored in an earlier batch.
    store = HeartbeatStore()
    _store(engine, store, [(_beat(NOW - timedelta(minutes=5), server_id="b"), NOW, None)])
    arrivals: list[Arrival] = [
        (_beat(NOW - timedelta(minutes=2), server_id="a", agent_version="a2"), NOW, None),
        (_beat(NOW - timedelta(minutes=5), server_id="b"), NOW + timedelta(seconds=1), None),
        (_beat(NOW - timedelta(minutes=1), server_id="a", agent_version="a1"), NOW, None),
        (_beat(NOW - timedelta(minutes=3), server_id="a", agent_version="a3"), NOW, None),
        (_beat(NOW - timedelta(minutes=4), server_id="b", agent_version="b4"), NOW, None),
    ]

    outcomes = _store(engine, store, arrivals)

    assert _answers(outcomes) == ["new", "replay", "new", "new", "new"]
    a, b = _server(engine, "a"), _server(engine, "b")
    assert (a.agent_version, a.latest_heartbeat_at) == ("a1", NOW - timedelta(minutes=1))
    assert (b.agent_version, b.latest_heartbeat_at) == ("b4", NOW - timedelta(minutes=4))
    # The replay came before b's new heartbeat: that one's time is the last contact.
    assert b.last_seen_at == NOW


def test_text_reaches_the_snapshot_as_sent_whatever_its_quotes_and_backslashes(
    engine: Engine,
) -> None:
    # On PostgreSQL a batch's snapshots travel as text arrays, one per column: nothing of the
    # array's own syntax (quotes, braces, backslashes, NULL) may show in what is stored.
    awkward = 'a "quoted", {braced} \\ back\\slashed Ünïcode'
    beat = _beat(
        NOW,
        hostname=awkward,
        agent_version="NULL",  # the text, not a missing value
        collector_errors={"apt": awkward, "NULL": "\\"},
        filesystems=[{**filesystem_payload(), "mount_point": f"/mnt/{awkward}"}],
    )

    _store(engine, HeartbeatStore(), [(beat, NOW, None)])

    server = _server(engine)
    assert (server.hostname, server.agent_version) == (awkward, "NULL")
    assert server.collector_errors == {"apt": awkward, "NULL": "\\"}
    assert [fs["mount_point"] for fs in server.filesystems] == [f"/mnt/{awkward}"]
