"""Collector registry and runner.

A collector module registers a factory under a name with a default-enabled flag. The runner
calls every enabled collector and turns an exception into a `collector_errors` entry: one broken
collector never drops the heartbeat.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from homelab_agent.config import AgentConfig

log = logging.getLogger(__name__)

BUILTIN_MODULES = ("filesystems", "metrics", "os_info", "health")


class Collector(Protocol):
    """Anything with a `collect()` that returns a typed sample."""

    def collect(self) -> object:
        """Gather one sample."""
        ...


CollectorFactory = Callable[[AgentConfig], Collector]
F = TypeVar("F", bound=CollectorFactory)


@dataclass(frozen=True)
class Registration:
    """A registered collector."""

    name: str
    factory: CollectorFactory
    default_enabled: bool


_REGISTRY: dict[str, Registration] = {}


def register(name: str, *, default_enabled: bool = True) -> Callable[[F], F]:
    """Class or factory decorator: make a collector known under `name`."""

    def decorator(factory: F) -> F:
        _REGISTRY[name] = Registration(name, factory, default_enabled)
        return factory

    return decorator


def registry() -> Mapping[str, Registration]:
    """Every registered collector, built-ins included."""
    for module in BUILTIN_MODULES:
        importlib.import_module(f"{__name__}.{module}")
    return dict(_REGISTRY)


def build_collectors(config: AgentConfig) -> dict[str, Collector]:
    """Instances of the collectors the config leaves on."""
    disabled = set(config.disabled_collectors)
    return {
        name: reg.factory(config)
        for name, reg in registry().items()
        if reg.default_enabled and name not in disabled
    }


@dataclass
class CollectionResult:
    """What one run of the collectors produced."""

    samples: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def run_collectors(collectors: Mapping[str, Collector]) -> CollectionResult:
    """Run each collector once; failures become errors, never exceptions."""
    result = CollectionResult()
    for name, collector in collectors.items():
        try:
            result.samples[name] = collector.collect()
        except Exception as exc:  # one broken collector must not drop the heartbeat
            log.warning("collector %s failed: %s", name, exc, exc_info=log.isEnabledFor(10))
            result.errors[name] = f"{type(exc).__name__}: {exc}"[:500]
    return result
