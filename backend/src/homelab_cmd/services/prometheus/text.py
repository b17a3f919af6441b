"""The two text formats, written fast: byte for byte what prometheus_client's encoders write.

prometheus_client's `generate_latest` re-validates and re-escapes every label name of every
sample; for 100 servers x 10 filesystems that alone took longer than the whole scrape may.
Here each labels dict is formatted once per scrape (the collector shares one dict across a
filesystem's series). Anything the hub does not serve (units, exemplars, timestamps, native
histograms, state sets) returns None and the caller uses the library's encoder instead.
tests/services/prometheus/test_text.py compares both encoders' output on every metric type here.
"""

from collections.abc import Callable, Iterable

from prometheus_client.metrics_core import Metric
from prometheus_client.utils import floatToGoString

# The library's number formatting (Go's, as Prometheus writes them); untyped upstream.
_go_float: Callable[[float], str] = floatToGoString
_VALUE_ESCAPES = str.maketrans({"\\": r"\\", "\n": r"\n", '"': r"\""})
_HELP_ESCAPES = str.maketrans({"\\": r"\\", "\n": r"\n"})
_TEXT_TYPES = {"counter": "counter", "gauge": "gauge", "histogram": "histogram", "info": "gauge"}
_TEXT_SUFFIXES = {"counter": "_total", "info": "_info"}
# id(labels) -> (labels, text). Keeping the dict referenced keeps its id from being reused
# within the scrape; collectors that share one dict across series get it formatted once.
LabelCache = dict[int, tuple[dict[str, str], str]]


def _label_text(labels: dict[str, str], cache: LabelCache) -> str:
    if not labels:
        return ""
    hit = cache.get(id(labels))
    if hit is not None:
        return hit[1]
    pairs = ",".join(f'{k}="{v.translate(_VALUE_ESCAPES)}"' for k, v in sorted(labels.items()))
    text = "{" + pairs + "}"
    cache[id(labels)] = (labels, text)
    return text


def _supported(metric: Metric) -> bool:
    return metric.type in _TEXT_TYPES and not metric.unit


def _samples(metric: Metric, cache: LabelCache, out: list[str]) -> bool:
    for s in metric.samples:
        if s.timestamp is not None or s.exemplar is not None or s.native_histogram is not None:
            return False
        out.append(f"{s.name}{_label_text(s.labels, cache)} {_go_float(s.value)}\n")
    return True


def encode_text(metrics: Iterable[Metric]) -> bytes | None:
    """Prometheus text format 0.0.4, or None when a metric needs the library's encoder."""
    out: list[str] = []
    cache: LabelCache = {}
    for metric in metrics:
        if not _supported(metric):
            return None
        name = metric.name + _TEXT_SUFFIXES.get(metric.type, "")
        out.append(f"# HELP {name} {metric.documentation.translate(_HELP_ESCAPES)}\n")
        out.append(f"# TYPE {name} {_TEXT_TYPES[metric.type]}\n")
        if not _samples(metric, cache, out):
            return None
    return "".join(out).encode()


def encode_openmetrics(metrics: Iterable[Metric]) -> bytes | None:
    """OpenMetrics 1.0 text, or None when a metric needs the library's encoder."""
    out: list[str] = []
    cache: LabelCache = {}
    for metric in metrics:
        if not _supported(metric):
            return None
        out.append(f"# HELP {metric.name} {metric.documentation.translate(_VALUE_ESCAPES)}\n")
        out.append(f"# TYPE {metric.name} {metric.type}\n")
        if not _samples(metric, cache, out):
            return None
    out.append("# EOF\n")
    return "".join(out).encode()
