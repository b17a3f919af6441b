"""The FastAPI application factory."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from prometheus_client import ProcessCollector
from sqlalchemy.orm import Session, sessionmaker

from homelab_cmd import __version__, bundle
from homelab_cmd.api.error_handlers import install_error_handlers
from homelab_cmd.api.heartbeat_endpoint import heartbeat_endpoint
from homelab_cmd.api.hub_app import HubApp
from homelab_cmd.api.middleware import HubMiddleware
from homelab_cmd.api.openapi import install_openapi
from homelab_cmd.api.router import api_router, root_router
from homelab_cmd.config import Settings, get_settings, known_default_key
from homelab_cmd.db.checkpoint import WalCheckpointer
from homelab_cmd.db.engine import make_engine, make_session_factory
from homelab_cmd.db.migrate import upgrade_to_head
from homelab_cmd.services.access.credentials import CredentialVerifier
from homelab_cmd.services.access.first_admin import prepare_first_admin
from homelab_cmd.services.access.hashing import PasswordGate
from homelab_cmd.services.access.legacy_key import configured_legacy_key, reconcile_at_start
from homelab_cmd.services.access.login_throttle import AddressThrottle, LoginLimits, LoginThrottle
from homelab_cmd.services.access.revocation import RevocationPoller
from homelab_cmd.services.access.sightings import ServerSightings
from homelab_cmd.services.alerts.runner import AlertRunner
from homelab_cmd.services.enrollment.agent_bundle import AgentBundle
from homelab_cmd.services.enrollment.tls import certificate_pins, tls_files
from homelab_cmd.services.ingest.limits import Limits
from homelab_cmd.services.ingest.store import HeartbeatStore
from homelab_cmd.services.ingest.writer import HeartbeatWriter
from homelab_cmd.services.maintenance.scheduler import MaintenanceScheduler
from homelab_cmd.services.prometheus.exposition import Exposition, SnapshotCollector
from homelab_cmd.services.prometheus.fleet import FleetExposition
from homelab_cmd.services.prometheus.telemetry import HubTelemetry
from homelab_cmd.ui import mount_ui

log = logging.getLogger(__name__)


def _operation_id(route: APIRoute) -> str:
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


def _credentials(
    settings: Settings, session_factory: sessionmaker[Session]
) -> tuple[CredentialVerifier, RevocationPoller]:
    """The verifier, and the poller that brings it revocations made on any hub (started)."""
    with session_factory() as session:
        reconcile_at_start(session, settings.data_dir)
    admin_key = settings.api_key.get_secret_value() if settings.api_key else None
    legacy = configured_legacy_key(
        settings.data_dir,
        settings.legacy_agent_key.get_secret_value() if settings.legacy_agent_key else None,
    )
    if legacy is not None:
        log.warning(
            "the shared key from %s is accepted for heartbeats only, from servers that never "
            "enrolled",
            legacy.source,
        )
        # Accepted for heartbeats only, yet a default key is public: anyone may report as every
        # server not enrolled yet. Said at each start until it is gone.
        # The reason is not logged: it may quote the key (`dev-key-change-me`).
        if known_default_key(legacy.key) is not None:
            log.warning(
                "the shared key from %s is a known default or guessable key: anyone who knows it "
                "can send heartbeats for every server that never enrolled. Enroll each host with "
                "its own token now (docs/upgrading.md), then turn the shared key off and unset it",
                legacy.source,
            )
    verifier = CredentialVerifier(session_factory, admin_key, legacy.key if legacy else None)
    poller = RevocationPoller(
        session_factory, verifier.apply_shared_state, settings.revocation_poll_seconds
    )
    poller.poll()
    poller.start()
    return verifier, poller


def _guard_secrets(app: FastAPI, settings: Settings, telemetry: HubTelemetry) -> None:
    """The sign-in throttle, the bound on concurrent password hashes and the enrollment
    throttle (docs/security.md)."""
    app.state.login_throttle = LoginThrottle(
        LoginLimits(
            per_user_address=settings.login_failures_per_user_address,
            per_address=settings.login_failures_per_address,
            per_user=settings.login_failures_per_user,
            window_seconds=settings.login_window_seconds,
        )
    )
    app.state.password_gate = PasswordGate(
        settings.max_concurrent_password_checks,
        settings.password_check_wait_seconds,
        on_check=telemetry.password_checks.inc,
    )
    app.state.enroll_throttle = AddressThrottle(
        settings.enroll_attempts_per_minute, 60.0, what="enrollment attempts"
    )


def create_app(settings: Settings | None = None) -> FastAPI:  # noqa: PLR0915  (wiring, in order)
    """Build the hub; the database is migrated and the writer started on startup."""
    settings = settings or get_settings()
    telemetry = HubTelemetry()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.resolved_database_url, settings.sqlite_synchronous)
        upgrade_to_head(engine)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        app.state.verifier, revocations = _credentials(settings, app.state.session_factory)
        app.state.setup_gate = prepare_first_admin(app.state.session_factory, settings)
        _guard_secrets(app, settings, telemetry)
        app.state.legacy_users = ServerSightings(settings.max_servers)
        app.state.plain_http = ServerSightings(settings.max_servers)
        app.state.agent_bundle = AgentBundle(
            settings.data_dir / "agent-wheel", settings.agent_wheel
        )
        files = tls_files(settings)
        app.state.certificate_pins = certificate_pins(files.cert) if files else None
        if app.state.certificate_pins:
            log.warning(
                "TLS certificate SHA-256 fingerprint: %s (hosts pin it when they enroll)",
                app.state.certificate_pins.fingerprint,
            )
        checkpointer = WalCheckpointer(engine)
        checkpointer.start()
        alerts = AlertRunner(engine, settings)
        fleet = FleetExposition(
            app.state.session_factory,
            settings.offline_after_seconds,
            timedelta(days=settings.scrub_max_age_days),
            lambda: app.state.writer.queue_depth(),  # noqa: PLW0108  (the writer comes next)
        )
        app.state.writer = HeartbeatWriter(
            engine,
            settings.max_clock_skew_seconds,
            on_commit=checkpointer.committed,
            store=HeartbeatStore(Limits.from_settings(settings)),
            queue_size=settings.writer_queue_size,
            deadline_seconds=settings.writer_deadline_seconds,
            retry_after_seconds=settings.retry_after_seconds,
            on_stored=alerts.heartbeats_stored,
            on_forget=alerts.forget_server,
            on_written=fleet.written,
        )
        app.state.writer.start()
        if engine.dialect.name == "sqlite":  # services/ingest/writer_calls.py
            alerts.write_on(app.state.writer.call)
        alerts.start()
        app.state.exposition = Exposition(
            [
                SnapshotCollector(
                    app.state.session_factory,
                    settings.offline_after_seconds,
                    app.state.writer.queue_depth,
                    timedelta(days=settings.scrub_max_age_days),
                ),
                *telemetry.collectors(),
                ProcessCollector(registry=None),
            ],
            fleet,
        )
        app.state.fleet = fleet
        fleet.start()
        scheduler = MaintenanceScheduler(engine, settings)
        scheduler.start()
        # Everything loaded so far lives as long as the process: keep it out of full GC passes,
        # which otherwise add tens of ms to every ~20th history request (see bench/history.py).
        gc.freeze()
        try:
            yield
        finally:
            revocations.stop()
            scheduler.stop()
            app.state.writer.stop()
            fleet.stop()
            alerts.stop()
            checkpointer.stop()
            engine.dispose()

    app = HubApp(
        title="HomelabCmd",
        version=__version__,
        openapi_url="/api/openapi.json",
        # /api/docs is served by api/routes/docs.py, with Swagger UI's files from the hub itself.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        # The hub exports no OpenTelemetry: without this FastAPI asks the global providers (and
        # the environment) on every request whether it should.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    install_error_handlers(app)
    install_openapi(app)
    app.include_router(api_router)
    app.include_router(root_router)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=[
                "Authorization",
                "X-API-Key",
                "X-Agent-Token",
                "X-Server-GUID",
                "X-Requested-With",
                "Content-Type",
            ],
            allow_credentials=True,
        )
    # One layer, in front of the whole app (api/hub_app.py): security headers on every answer
    # (errors, 500s and 413s included), heartbeat telemetry (it also sees heartbeats the body
    # limit refuses), the body limit, and HEAD run as GET. One layer rather than four: each
    # wrapped `send` on the heartbeat path.
    app.front = HubMiddleware(
        app.behind,
        max_body_bytes=settings.max_body_bytes,
        telemetry=telemetry,
        hsts=settings.scheme == "https",
        heartbeat=heartbeat_endpoint,
    )
    mount_ui(app, settings.ui_dir or bundle.ui_dir())
    return app
