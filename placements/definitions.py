"""How each placement figure is worked out: each measure's definition, written once.

The KPI measures (measures.py) take their names from here, and the "How each figure is worked out"
page prints these words, so what a figure means and how the code counts it are never two texts that can
drift apart. Where DfE publishes the figure, the words are DfE's: the indicator's name, the cohort,
what counts, and where DfE sets it out. The code that counts is named under each (selectors and rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import rules
from .reference.codes import PLACEMENT_TYPES

# The DfE publications the definitions follow.
DFE_STATISTICS = (
    'DfE, "Children looked after in England including adoptions" (annual statistics, methodology and '
    "local authority tables)"
)
DFE_STATISTICS_URL = "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions"
DFE_903_GUIDE = 'DfE, "Children looked after return: guide" (the SSDA903 return)'
DFE_903_GUIDE_URL = "https://www.gov.uk/government/publications/children-looked-after-return-2024-to-2025-guide"
COUNCIL_MEASURE = "The council's own measure for commissioning (DfE does not publish it)"


def _codes(codes) -> str:
    """'A3, A4, A5 or A6'."""
    ordered = sorted(codes)
    return ordered[0] if len(ordered) == 1 else f"{', '.join(ordered[:-1])} or {ordered[-1]}"


ADOPTION = _codes(rules.ADOPTION_PLACE_CODES)
TEMPORARY = _codes(rules.TEMPORARY_PLACE_CODES)
CHILDRENS_HOMES = _codes(code for code, _, category, *_ in PLACEMENT_TYPES if category == "childrens_home")
SHORT_BREAKS = _codes(rules.SHORT_BREAK_LEGAL_STATUSES)


@dataclass(frozen=True)
class Definition:
    key: str  # the KPI measure key ("placements.long_term_stability")
    name: str  # the figure's name in the council's words (the KPI measure's label)
    unit: str  # count, rate, percentage, days
    measures: str  # one sentence: what the figure says
    cohort: str  # who is counted (the denominator, for a percentage)
    counted: str  # what is counted (the numerator)
    details: tuple[str, ...] = ()
    dfe_indicator: str = ""  # the indicator's name as DfE publishes it, where it does
    source: str = COUNCIL_MEASURE
    source_url: str = ""
    worked_out_by: str = ""  # where the code counts it

    @property
    def slug(self) -> str:
        return self.key.split(".", 1)[1].replace("_", "-")


LOOKED_AFTER_ON_THE_DAY = (
    "A child is looked after on a day when a 903 episode began on or before it and has not ceased (DEC blank or "
    "after the day). Children looked after only under an agreed series of short-term placements (legal status "
    f"{SHORT_BREAKS}, short breaks) are not counted, as in DfE's figures."
)

DEFINITIONS: dict[str, Definition] = {
    d.key: d
    for d in [
        Definition(
            key="placements.looked_after",
            name="Children looked after at the end of the period",
            unit="count",
            measures="How many children the council looks after on the last day of the period.",
            cohort="Children looked after on the day.",
            counted="Each child once, whatever the number of episodes.",
            details=(LOOKED_AFTER_ON_THE_DAY,),
            dfe_indicator="Children looked after at 31 March",
            source=DFE_STATISTICS,
            source_url=DFE_STATISTICS_URL,
            worked_out_by="placements.selectors.looked_after_count",
        ),
        Definition(
            key="placements.looked_after_rate",
            name="Children looked after per 10,000 children",
            unit="rate",
            measures="Children looked after on the last day of the period for every 10,000 children under 18 who "
            "live in the council's area.",
            cohort="The number of children under 18 living in the council's area, as set for the system "
            "(DfE uses the ONS mid-year population estimates).",
            counted="Children looked after on the day, as in the count above.",
            details=(LOOKED_AFTER_ON_THE_DAY,),
            dfe_indicator="Rate of children looked after at 31 March per 10,000 children aged under 18 years",
            source=DFE_STATISTICS,
            source_url=DFE_STATISTICS_URL,
            worked_out_by="placements.selectors.looked_after_count and rate_per_10000",
        ),
        Definition(
            key="placements.stability_3plus",
            name="Children looked after with 3 or more placements in the year (%)",
            unit="percentage",
            measures="Short-term placement stability: the share of children looked after on 31 March who had three "
            "or more placements during the year to that day.",
            cohort="Children looked after on 31 March (short breaks left out).",
            counted="Those with three or more placements any part of which fell between 1 April and 31 March.",
            details=(
                LOOKED_AFTER_ON_THE_DAY,
                "A placement is a period with one carer: a change of legal status only (RNE L) does not start a new "
                f"one. Temporary placements (PLACE {TEMPORARY}: holidays, respite, hospital and the like) are not "
                "counted.",
            ),
            dfe_indicator="Children looked after at 31 March with three or more placements during the year",
            source=DFE_STATISTICS,
            source_url=DFE_STATISTICS_URL,
            worked_out_by="placements.selectors.stability; pure form placements.rules.three_or_more",
        ),
        Definition(
            key="placements.long_term_stability",
            name="Long-term placement stability: same placement, or adoptive placement with the one before, "
            "2 years or more (%)",
            unit="percentage",
            measures="Long-term placement stability: of children under 16 looked after continuously for two and a half "
            "years or more, the share who have been in the same placement for two years or more, or who are "
            "placed for adoption and whose adoptive placement together with the placement before it have "
            "lasted two years or more.",
            cohort="Children under 16 on 31 March, looked after on that day and continuously for two and a half years "
            "or more.",
            counted="Those in the same placement for two years or more on 31 March, or placed for adoption (PLACE "
            f"{ADOPTION}) where the adoptive placement and the placement before it together have lasted two "
            "years or more.",
            details=(
                LOOKED_AFTER_ON_THE_DAY,
                "Continuous care is proved from the episodes themselves: the chain of episodes running back from 31 "
                "March, each beginning (DECOM) on the day the one before it ceased (DEC), back to its earliest "
                "episode, whatever that episode's reason for new episode (RNE). A return that begins part way "
                "through a child's care (its first episode has RNE P, not S) still counts, and the chain runs back "
                "through the returns of earlier years already loaded.",
                "Only the month and year of birth are kept here, never the full date: a child whose 16th birthday "
                "falls in March counts as 16 on 31 March.",
                "The placement before an adoptive placement is the one that ceased on the day the adoptive placement "
                "began; the two together last two years or more when that placement began two years or more before "
                "31 March.",
            ),
            dfe_indicator="Children looked after for at least 2.5 years who had been in the same placement for at "
            "least 2 years, or placed for adoption and their adoptive placement together with their "
            "previous placement lasted for at least 2 years",
            source=DFE_STATISTICS,
            source_url=DFE_STATISTICS_URL,
            worked_out_by="placements.selectors.long_term_stability; pure form placements.rules.continuous_care_start "
            "and placements.rules.long_term_stable",
        ),
        Definition(
            key="placements.over_20_miles",
            name="Placements more than 20 miles from home (%)",
            unit="percentage",
            measures="Of children looked after on the day whose distance from home is known, the share placed more "
            "than 20 miles from the home they were removed from.",
            cohort="Children looked after on the day with a distance known.",
            counted="Those placed more than 20 miles away.",
            details=(
                LOOKED_AFTER_ON_THE_DAY,
                "The distance is the straight line between the centres of the home and placement postcode districts "
                "(HOME_POST and PL_POST cut to their district), else the distance recorded in the return "
                "(PL_DISTANCE).",
            ),
            dfe_indicator="Children looked after at 31 March placed more than 20 miles from home",
            source=f"{DFE_STATISTICS}; {DFE_903_GUIDE}",
            source_url=DFE_STATISTICS_URL,
            worked_out_by="placements.selectors.distance_figures",
        ),
        Definition(
            key="placements.outside_area_over_20_miles",
            name="Placed outside the area and more than 20 miles from home (%)",
            unit="percentage",
            measures="Of children looked after on the day, the share placed outside the council's boundary and "
            "more than 20 miles from home.",
            cohort="Children looked after on the day.",
            counted="Those placed outside the council's area (PL_LOCATION OUT) and more than 20 miles away.",
            details=(LOOKED_AFTER_ON_THE_DAY,),
            dfe_indicator="Children looked after at 31 March placed outside the local authority boundary and more "
            "than 20 miles from home",
            source=f"{DFE_STATISTICS}; {DFE_903_GUIDE}",
            source_url=DFE_STATISTICS_URL,
            worked_out_by="placements.selectors.distance_figures",
        ),
        Definition(
            key="placements.agency_fostering_share",
            name="Foster placements with agencies (IFA) (%)",
            unit="percentage",
            measures="Of children in foster care with carers who are not relatives or friends, the share placed "
            "with independent fostering agencies rather than the council's own carers.",
            cohort="Children looked after on the day in foster placements not with relatives or friends.",
            counted="Those whose placement provider is private or voluntary (PLACE_PROVIDER PR4 or PR5).",
            details=(LOOKED_AFTER_ON_THE_DAY,),
        ),
        Definition(
            key="placements.residential_count",
            name="Children in children's homes",
            unit="count",
            measures="How many children looked after on the day live in children's homes.",
            cohort="Children looked after on the day.",
            counted=f"Those whose placement type (PLACE) is a children's home ({CHILDRENS_HOMES}).",
            details=(LOOKED_AFTER_ON_THE_DAY,),
        ),
        Definition(
            key="placements.framework_share",
            name="Bought placements on a framework or contract, not spot (%)",
            unit="percentage",
            measures="Of placements the council buys from other providers, the share bought under a framework, "
            "approved provider list, dynamic purchasing system or block contract rather than spot purchased.",
            cohort="Placements of children looked after on the day with an external provider, bought either way. "
            "A DfE other placement (PLACE Z1, Z11 to Z14), which the 903 gives no provider, counts as bought unless "
            "it is recorded as in-house.",
            counted="Those bought under a framework, approved list, DPS or block contract.",
        ),
        Definition(
            key="placements.ipas_unsigned",
            name="External placements without a signed IPA",
            unit="count",
            measures="Placements with external providers running on the day whose Individual Placement Agreement is "
            "not yet signed.",
            cohort="External placements running on the day: an external provider kind (PLACE_PROVIDER PR2 to PR5), "
            "or a DfE other placement (PLACE Z1, Z11 to Z14, which has no provider) not recorded as in-house.",
            counted="Those with no IPA, or one not yet signed.",
        ),
        Definition(
            key="placements.ipa_median_days",
            name="Median days from placement start to signed IPA",
            unit="days",
            measures="How long, in the middle case, an IPA takes to be signed after the placement begins.",
            cohort="IPAs signed within the period.",
            counted="Days from the placement's start to the day its IPA was signed; the median of them.",
        ),
    ]
}

LONG_TERM_STABILITY = DEFINITIONS["placements.long_term_stability"]


def definitions_in_order() -> list[Definition]:
    """DfE's figures first, then the council's own, each in the order the dashboard shows them."""
    return sorted(DEFINITIONS.values(), key=lambda d: d.source == COUNCIL_MEASURE)
