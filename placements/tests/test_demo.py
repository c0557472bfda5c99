from datetime import timedelta

from django.utils import timezone

from placements import demo, rules, selectors
from placements.models import Child, CostLine, PanelReview, Placement, PlacementAgreement


def test_demo_data_looks_like_reading_and_loads_once(users):
    demo.load(users=users)
    today = timezone.localdate()
    s = selectors.sufficiency(as_of=today)
    groups = {g["key"]: g["count"] for g in s.groups}
    assert 195 <= s.looked_after <= 215
    assert groups["agency_fostering"] > groups["in_house_fostering"] > 0
    assert groups["childrens_homes"] == 19
    assert sum(v for k, v in groups.items() if k.endswith("fostering")) > s.looked_after / 2
    assert 0.1 < s.distance["over_threshold"] / s.distance["distance_known"] < 0.5
    assert 240 <= Child.objects.count() <= 260
    statuses = set(PlacementAgreement.objects.values_list("status", flat=True))
    assert statuses == {"not_started", "drafted", "issued", "signed"}
    assert PanelReview.objects.filter(held_on__isnull=True).exists()
    assert PanelReview.objects.exclude(decision="").exists()
    assert CostLine.objects.filter(status="awaiting_approval").exists()
    assert s.stability["three_plus_pct"] is not None
    assert Placement.objects.filter(start__lt=today - timedelta(days=4 * 365)).exists()
    # DfE's other placements have no provider kind, and the provider rows still count every child
    assert not Placement.objects.filter(placement_type__code__in=rules.NO_PROVIDER_PLACE_CODES,
                                        provider_kind__isnull=False).exists()
    assert sum(r["count"] for r in s.provider_kinds) == s.looked_after
    counts = (Child.objects.count(), Placement.objects.count(), CostLine.objects.count())
    demo.load(users=users)
    assert counts == (Child.objects.count(), Placement.objects.count(), CostLine.objects.count())


def test_demo_ipas_are_dated_like_real_ones(users):
    demo.load(users=users)
    today = timezone.localdate()
    agreements = list(PlacementAgreement.objects.select_related("placement"))
    assert len(agreements) > 100
    for ipa in agreements:
        dates = [d for d in (ipa.drafted_on, ipa.issued_on, ipa.signed_on) if d]
        assert dates == sorted(dates) and all(ipa.placement.start <= d <= today for d in dates), ipa.pk
        if ipa.placement.end:
            assert all(d <= ipa.placement.end for d in dates), ipa.pk
        if ipa.signed_on:
            assert (ipa.signed_on - ipa.placement.start).days <= 120, ipa.pk  # signed within months, not years
    # What is still open was drafted or issued in recent weeks: nothing "issued" for years.
    open_ones = [ipa for ipa in agreements if ipa.status in ("drafted", "issued")]
    assert open_ones
    for ipa in open_ones:
        assert (today - (ipa.issued_on or ipa.drafted_on)).days <= 120, ipa.pk


def test_demo_weekly_fees_are_in_real_ranges_and_ipas_wait_days_to_weeks(users):
    from statistics import median

    demo.load(users=users)
    today = timezone.localdate()
    fees = {}
    for code, provider, weekly, legal in CostLine.objects.filter(kind="initial").values_list(
            "placement__placement_type__code", "placement__provider_kind__code", "weekly_amount",
            "placement__episodes__legal_status__code"):
        if legal == "V3":
            continue  # short breaks are paid by the night
        kind = ("homes" if code == "K2" else "in_house_fostering" if code in ("U4", "U5", "U6") and provider == "PR1"
                else "agency_fostering" if code in ("U4", "U5", "U6") else None)
        if kind:
            fees.setdefault(kind, []).append(weekly)
    homes = fees["homes"]
    assert min(homes) >= 4000 and 4000 <= median(homes) <= 8000
    assert sum(4000 <= f <= 8000 for f in homes) / len(homes) >= 0.85  # and a few very high-cost placements
    assert 800 <= min(fees["agency_fostering"]) and max(fees["agency_fostering"]) <= 1100
    assert 300 <= min(fees["in_house_fostering"]) and max(fees["in_house_fostering"]) <= 500
    waits = [p.days_open.days for p in selectors.placements_without_signed_ipa(as_of=today)]
    assert waits and max(waits) <= 16 * 7, sorted(waits)  # days to weeks, never years
