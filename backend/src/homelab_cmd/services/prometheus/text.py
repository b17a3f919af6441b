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
from prometheus_client.samples import Sample
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
        out.append(sample_line(s, cache))
    return True


def header(metric: Metric, openmetrics: bool) -> str:
    """A family's HELP and TYPE lines in one of the two formats (what the encoders below write
    before its samples)."""
    if openmetrics:
        return (
            f"# HELP {metric.name} {metric.documentation.translate(_VALUE_ESCAPES)}\n"
            f"# TYPE {metric.name} {metric.type}\n"
        )
    name = metric.name + _TEXT_SUFFIXES.get(metric.type, "")
    return (
        f"# HELP {name} {metric.documentation.translate(_HELP_ESCAPES)}\n"
        f"# TYPE {name} {_TEXT_TYPES[metric.type]}\n"
    )


def sample_line(sample: Sample, cache: LabelCache) -> str:
    """One sample's line, the same in both formats for a sample without timestamp, exemplar or
    native histogram (all the hub's own families)."""
    return f"{sample.name}{_label_text(sample.labels, cache)} {_go_float(sample.value)}\n"


def encode_part(metrics: Iterable[Metric], openmetrics: bool) -> bytes | None:
    """The families in one of the two formats, without OpenMetrics' closing `# EOF` (for a body
    written in parts), or None when a metric needs the library's encoder."""
    out: list[str] = []
    cache: LabelCache = {}
    for metric in metrics:
        if not _supported(metric):
            return None
        out.append(header(metric, openmetrics))
        if not _samples(metric, cache, out):
            return None
    return "".join(out).encode()


def encode_text(metrics: Iterable[Metric]) -> bytes | None:
    """Prometheus text format 0.0.4, or None when a metric needs the library's encoder."""
    return encode_part(metrics, openmetrics=False)


def encode_openmetrics(metrics: Iterable[Metric]) -> bytes | None:
    """OpenMetrics 1.0 text, or None when a metric needs the library's encoder."""
    body = encode_part(metrics, openmetrics=True)
    return None if body is None else body + EOF


EOF = b"# EOF\n"
