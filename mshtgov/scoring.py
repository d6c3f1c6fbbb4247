"""The MoRiLE-style scoring scheme: every scale, weight and band in one place.

The exact MoRiLE point scales are licensed and not published, so this is a MoRiLE-*style* scheme
with the same structure (harm, likelihood, confidence, and the force's organisational position,
i.e. capacity and capability). The force's intelligence lead should confirm the values against
their licensed MoRiLE guidance; change them here and nowhere else.

It lives in the core because more than one register scores with it: the threat register (strategy)
and the operations register (an operation's own assessment), and neither may import the other.
"""

from collections.abc import Callable
from dataclasses import dataclass

# Shown to users (threat pages, board packs): it names the scheme, nothing more. That the values are
# not the licensed MoRiLE scales, and must be confirmed locally, is for the docstring above and the
# deployment guide, never for a page or a board paper.
SCHEME_NAME = "Threat-scoring scheme modelled on MoRiLE (Management of Risk in Law Enforcement)"

# dimension -> ((points, label), ...), lowest first.
SCALES: dict[str, tuple[tuple[int, str], ...]] = {
    "harm": (
        (1, "Negligible"),
        (2, "Minor"),
        (3, "Moderate"),
        (4, "Substantial"),
        (5, "Severe"),
    ),
    "likelihood": (
        (1, "Rare"),
        (2, "Unlikely"),
        (3, "Possible"),
        (4, "Likely"),
        (5, "Almost certain"),
    ),
    "confidence": (
        (1, "Low: little or uncorroborated intelligence"),
        (2, "Medium: some corroboration"),
        (3, "High: well corroborated"),
    ),
    # Organisational position: the weaker the force's capacity or capability, the higher the priority.
    "capacity": (
        (1, "Strong: enough people and time"),
        (2, "Adequate"),
        (3, "Limited"),
        (4, "None: no capacity to respond"),
    ),
    "capability": (
        (1, "Strong: the skills and tools are in place"),
        (2, "Adequate"),
        (3, "Limited"),
        (4, "None: the force cannot respond"),
    ),
}

DIMENSION_LABELS = {
    "harm": "Harm (to individuals, communities and the economy)",
    "likelihood": "Likelihood",
    "confidence": "Confidence in the intelligence",
    "capacity": "Force capacity",
    "capability": "Force capability",
}

# (lowest score in band, key, label, tag colour), lowest first. Scores run 1 to 100.
BANDS: tuple[tuple[int, str, str, str], ...] = (
    (1, "low", "Low", "green"),
    (16, "medium", "Medium", "yellow"),
    (36, "high", "High", "amber"),
    (61, "very_high", "Very high", "red"),
)
BAND_CHOICES = [(key, label) for _, key, label, _ in BANDS]
BAND_COLOURS = {key: colour for _, key, _, colour in BANDS}
BAND_RANK = {key: i for i, (_, key, _, _) in enumerate(BANDS)}


def choices(dimension: str) -> list[tuple[int, str]]:
    return [(points, f"{points}: {label}") for points, label in SCALES[dimension]]


def label(dimension: str, points: int | None) -> str:
    return dict(SCALES[dimension]).get(points, "")


def bounds(dimension: str) -> tuple[int, int]:
    points = [p for p, _ in SCALES[dimension]]
    return min(points), max(points)


@dataclass(frozen=True)
class Priority:
    score: int
    band: str

    @property
    def band_label(self) -> str:
        return dict(BAND_CHOICES)[self.band]


def band_for(score: int) -> str:
    band = BANDS[0][1]
    for lowest, key, _, _ in BANDS:
        if score >= lowest:
            band = key
    return band


def priority(*, harm: int, likelihood: int, confidence: int, capacity: int, capability: int) -> Priority:
    """Risk (harm x likelihood, 1-25) raised by the force's organisational gap (1-4): 1 to 100.

    Confidence is reported beside the score rather than folded into it, as MoRiLE keeps it: a high
    priority with low confidence calls for intelligence development, not a lower priority.
    """
    for name, value in (
        ("harm", harm),
        ("likelihood", likelihood),
        ("confidence", confidence),
        ("capacity", capacity),
        ("capability", capability),
    ):
        low, high = bounds(name)
        if value is None or not low <= value <= high:
            raise ValueError(f"{name} must be between {low} and {high}")
    organisational_gap = -(-(capacity + capability) // 2)  # rounded up: the weaker side counts
    score = harm * likelihood * organisational_gap
    return Priority(score=score, band=band_for(score))


# Registers whose records are assessed with this scheme say how to read each record's latest priority,
# so that another register (an operation linked to threats) can use it without importing the first.
# reader(ids) -> {id: Priority} for the records assessed so far.
_latest_readers: dict[str, Callable] = {}


def register_latest(label: str, reader) -> None:
    """`label`: the assessed model, "app.model" (lower case), e.g. "strategy.threat"."""
    _latest_readers[label] = reader


def latest_priorities(label: str, ids) -> dict[int, Priority]:
    """The latest priority of each record of `label` among `ids` (none if nobody registered the kind)."""
    reader = _latest_readers.get(label)
    ids = list(ids)
    return reader(ids) if reader and ids else {}


# Registers that take their priority from another register's records (operations from their linked
# threats) follow a reassessment at once, in the transaction that saved it, instead of waiting for the
# nightly refresh: the assessed register announces `reassessed(label, ids)` and followers recompute.
_followers: dict[str, list[Callable]] = {}


def follow_reassessments(label: str, follower) -> None:
    """`follower(ids, by=, reason=)` is called after records of `label` among `ids` were reassessed."""
    _followers.setdefault(label, []).append(follower)


def reassessed(label: str, ids, *, by, reason: str) -> None:
    """Tell the followers of `label` that these records' latest priority may have changed."""
    ids = list(ids)
    for follower in _followers.get(label, ()):
        follower(ids, by=by, reason=reason)
