"""Provider risk: plain functions on plain values (no database), so the rules read as a table.

The score adds four parts, each shown with its points so the total can be explained:
Ofsted's latest judgement, the latest quality check's rating, open actions past their due date, and
how much of the council's placements the provider's owning group holds (losing a large group is
hard to absorb).
"""

from dataclasses import dataclass
from decimal import Decimal

OFSTED_POINTS = {"outstanding": 0, "good": 0, "requires_improvement": 2, "inadequate": 4, "": 1}
OFSTED_LABELS = {"outstanding": "Outstanding", "good": "Good", "requires_improvement": "Requires improvement",
                 "inadequate": "Inadequate", "": "No judgement on record"}
CHECK_POINTS = {"good": 0, "adequate": 1, "concerns": 2, "poor": 4, "": 1}
CHECK_LABELS = {"good": "Good", "adequate": "Adequate", "concerns": "Some concerns", "poor": "Serious concerns",
                "": "No quality check on record"}
MAX_ACTION_POINTS = 3
HIGH, MEDIUM, LOW = "high", "medium", "low"
LEVELS = (HIGH, MEDIUM, LOW)


@dataclass(frozen=True)
class RiskPart:
    name: str
    reading: str
    points: int


@dataclass(frozen=True)
class RiskScore:
    parts: tuple[RiskPart, ...]
    quality: str  # how likely things go wrong: from Ofsted, quality checks and overdue actions
    impact: str  # how much it would hurt: from the group's share of placements

    @property
    def total(self) -> int:
        return sum(p.points for p in self.parts)

    @property
    def level(self) -> str:
        if self.total >= 7 or (self.quality == HIGH and self.impact != LOW):
            return HIGH
        if self.total >= 3:
            return MEDIUM
        return LOW


def concentration_points(share_pct: Decimal | None, threshold_pct: Decimal) -> int:
    if share_pct is None:
        return 0
    if share_pct >= threshold_pct:
        return 3
    if share_pct * 2 >= threshold_pct:
        return 1
    return 0


def provider_risk(*, judgement: str, check_rating: str, overdue_actions: int, share_pct: Decimal | None,
                  threshold_pct: Decimal) -> RiskScore:
    actions = min(overdue_actions, MAX_ACTION_POINTS)
    concentration = concentration_points(share_pct, threshold_pct)
    parts = (
        RiskPart("Latest Ofsted judgement", OFSTED_LABELS[judgement or ""], OFSTED_POINTS[judgement or ""]),
        RiskPart("Latest quality check", CHECK_LABELS[check_rating or ""], CHECK_POINTS[check_rating or ""]),
        RiskPart("Actions overdue", str(overdue_actions), actions),
        RiskPart("Owning group's share of placements",
                 "none placed" if share_pct is None else f"{share_pct}%", concentration),
    )
    likely = parts[0].points + parts[1].points + parts[2].points
    # An Inadequate judgement or serious concerns at the last check is high quality risk on its own.
    worst = parts[0].points == OFSTED_POINTS["inadequate"] or parts[1].points == CHECK_POINTS["poor"]
    quality = HIGH if likely >= 5 or worst else MEDIUM if likely >= 2 else LOW
    impact = HIGH if concentration == 3 else MEDIUM if concentration == 1 else LOW
    return RiskScore(parts=parts, quality=quality, impact=impact)
