"""Placements at scale: 5,000 children and 20,000 placements over 10 years.

1. The SSDA903 import of 20,000 episodes (first load, then the same return again, which changes nothing).
   The DfE validation report on the same return: every DfE rule of its year (csc-validator-be-903), as the
   worker runs it after an upload, from the held tables to the stored findings.
2. The placements dashboard: median server time, and its query count at an early date (few
   placements running) and today (thousands): the counts must be equal.

Targets: dashboard median at most 300 ms with queries that do not grow with rows;
903 import of 20,000 episodes at most 20 s.
"""

import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import report, setup_django, timed, view_timing

CHILDREN = 5000
EPISODES = 20000


def make_return(today: date):
    rng = random.Random(5)
    start_of_time = today - timedelta(days=3650)
    header = ["CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"]
    episodes = ["CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"]
    places = [("U6", "PR1"), ("U4", "PR4"), ("U6", "PR5"), ("U3", "PR1"), ("K2", "PR4"), ("P2", "PR4"),
              ("S1", "PR5"), ("P1", "PR0"), ("A6", "PR1")]
    homes = ["RG1 1AA", "RG2 7BB", "RG30 4CC", "RG4 5DD"]
    away = ["RG31 9EE", "OX1 2FF", "SN1 3GG", "BS1 4HH", "RG14 5JJ", "SL6 6KK"]
    per_child = [EPISODES // CHILDREN] * CHILDREN
    for i in range(EPISODES - sum(per_child)):
        per_child[i] += 1
    for n, count in enumerate(per_child):
        ref = f"B{n:06d}"
        born = today - timedelta(days=rng.randint(6 * 365, 17 * 365))
        header.append(f"{ref},{rng.choice('MF')},{born:%d/%m/%Y},WBRI,X{n:012d},,")
        start = max(start_of_time, born) + timedelta(days=rng.randint(0, 900))
        home = rng.choice(homes)
        for k in range(count):
            place, provider = rng.choice(places)
            length = rng.randint(20, 300)
            end = start + timedelta(days=length)
            last = k == count - 1
            open_now = last and rng.random() < 0.6
            if end >= today:
                end, open_now = None, True
            rne = "S" if k == 0 else rng.choice(["P", "P", "P", "B", "T", "U"])
            dec = "" if open_now or end is None else f"{end:%d/%m/%Y}"
            rec = "" if not dec else ("X1" if not last else "E13")
            legal = rng.choice(["C2", "C2", "C1", "V2"])
            episodes.append(
                f"{ref},{start:%d/%m/%Y},{rne},{legal},N1,{place},{provider},{dec},{rec},"
                f"{'' if k == 0 else 'CARPL'},{home},{rng.choice(away)},"
            )
            if not dec:
                break
            start = end
    return "\n".join(header).encode(), "\n".join(episodes).encode(), len(episodes) - 1


def corrected_return(episodes: bytes) -> bytes:
    """The same episodes with the last one of every 50th child (that has more than one) left out."""
    lines = episodes.decode().split("\n")
    by_child: dict[str, list[int]] = {}
    for i, line in enumerate(lines[1:], start=1):
        by_child.setdefault(line.split(",", 1)[0], []).append(i)
    drop = {rows[-1] for n, rows in enumerate(by_child.values()) if n % 50 == 0 and len(rows) > 1}
    return "\n".join(line for i, line in enumerate(lines) if i not in drop).encode()


def postcode_districts_create():
    """The postcode districts the return's home and placement postcodes fall in (for distances)."""
    from placements.models import PostcodeDistrict

    PostcodeDistrict.objects.bulk_create([
        PostcodeDistrict(code=c, latitude=Decimal(lat), longitude=Decimal(lon))
        for c, lat, lon in [("RG1", "51.454", "-0.971"), ("RG2", "51.431", "-0.956"), ("RG30", "51.456", "-1.019"),
                            ("RG4", "51.482", "-0.967"), ("RG31", "51.461", "-1.053"), ("OX1", "51.752", "-1.258"),
                            ("SN1", "51.560", "-1.781"), ("BS1", "51.454", "-2.592"), ("RG14", "51.401", "-1.323"),
                            ("SL6", "51.522", "-0.721")]
    ])


def costs_and_agreements_create(*, user):
    """Costs and IPAs for the bought placements, so the dashboard has money and IPA figures to add up."""
    from placements.models import CostLine, Placement, PlacementAgreement

    rng = random.Random(7)
    bought = list(Placement.objects.filter(provider_kind__code__in=["PR4", "PR5"]).values_list("pk", "start"))
    CostLine.objects.bulk_create([
        CostLine(placement_id=pk, kind="initial", weekly_amount=Decimal(rng.randint(800, 6000)), effective_from=start,
                 reason="Agreed price", agreed_by=user)
        for pk, start in bought
    ], batch_size=2000)
    statuses = ["signed", "signed", "signed", "issued", "drafted", "not_started"]
    agreements = []
    for pk, start in bought:
        status = rng.choice(statuses)
        rank = ["not_started", "drafted", "issued", "signed"].index(status)
        agreements.append(PlacementAgreement(
            placement_id=pk, status=status, drafted_on=start + timedelta(days=3) if rank >= 1 else None,
            issued_on=start + timedelta(days=9) if rank >= 2 else None,
            signed_on=start + timedelta(days=rng.randint(10, 90)) if rank >= 3 else None,
        ))
    PlacementAgreement.objects.bulk_create(agreements, batch_size=2000)


def main():
    setup_django("bench_placements")
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from core.imports import read_table
    from core.roles import PLACEMENTS_OFFICER
    from placements.importers import import_903
    from placements.models import Placement

    today = timezone.localdate()
    user = get_user_model().objects.create_user("bench", password="bench-password-123")
    user.groups.add(Group.objects.get(name=PLACEMENTS_OFFICER))
    postcode_districts_create()
    header, episodes, episode_rows = make_return(today)
    tables = (read_table(header, "header.csv"), read_table(episodes, "episodes.csv"))
    summary, first_load = timed(import_903, *tables, user=user)
    tables = (read_table(header, "header.csv"), read_table(episodes, "episodes.csv"))
    again, second_load = timed(import_903, *tables, user=user)
    # A corrected return: the last episode of every 50th child taken out (their placements go too)
    corrected_episodes = corrected_return(episodes)
    tables = (read_table(header, "header.csv"), read_table(corrected_episodes, "episodes.csv"))
    corrected, corrected_load = timed(import_903, *tables, user=user)
    tables = (read_table(header, "header.csv"), read_table(corrected_episodes, "episodes.csv"))
    corrected_again, corrected_again_load = timed(import_903, *tables, user=user)

    # The DfE validation report: the return's columns held, then the worker's run (here eager, so inside the
    # call, as in any script) to stored findings, the held tables deleted.
    from placements.dfe_check import dfe_check_request
    from placements.models import DfeCheck

    check, dfe_seconds = timed(dfe_check_request, header=read_table(header, "header.csv"),
                               episodes=read_table(episodes, "episodes.csv"), user=user)
    check = DfeCheck.objects.get(pk=check.pk)
    dfe_rows = sum(f.row_count for f in check.findings.all())

    costs_and_agreements_create(user=user)

    client = Client()
    client.force_login(user)
    early = (today - timedelta(days=3300)).strftime("%d/%m/%Y")
    timing = view_timing(client, "/placements/")
    early_timing = view_timing(client, f"/placements/?as_of={early}", runs=3)
    list_timing = view_timing(client, "/placements/list/", runs=10)
    placements = Placement.objects.count()
    # The committee report's section: as at today, and as at the end of last quarter (the same tables, each
    # placement counted by its own dates).
    from placements.reports import section_context

    def section(day):
        return section_context(period_start=day - timedelta(days=90), period_end=day, as_of=day)

    _, section_live = timed(section, today)
    _, section_as_at = timed(section, today - timedelta(days=90))
    report("Placements", [
        ("children / placements / 903 episodes", f"{CHILDREN:,} / {placements:,} / {episode_rows:,}", "5,000 / 20,000"),
        ("903 import, first load (s)", f"{first_load:.1f}", "<= 20"),
        ("903 import, same return again (s)", f"{second_load:.1f}", "changes nothing"),
        ("  first load", str(summary), ""),
        ("  again", str(again), "0 created, 0 updated"),
        ("903 import, corrected return (s)", f"{corrected_load:.1f}", "<= 20"),
        ("  corrected", str(corrected), f"{corrected.episodes_removed} episodes removed"),
        ("903 import, corrected return again (s)", f"{corrected_again_load:.1f}", "changes nothing"),
        ("  corrected again", str(corrected_again), "0 created, 0 updated, 0 removed"),
        ("DfE validation report, 20,000 episodes (s)", f"{dfe_seconds:.1f}", "in the worker, under its 600 s limit"),
        ("  DfE rules checked / with findings / rows flagged",
         f"{check.rules_run} / {check.findings.count()} / {dfe_rows:,}", check.get_status_display()),
        ("dashboard median (ms)", f"{timing['median_ms']:.0f}", "<= 300"),
        ("dashboard max (ms)", f"{timing['max_ms']:.0f}", ""),
        ("dashboard queries today / 9 years ago", f"{timing['queries']} / {early_timing['queries']}", "equal"),
        ("placement list median (ms), 50 a page", f"{list_timing['median_ms']:.0f}", ""),
        ("placement list queries", str(list_timing["queries"]), ""),
        ("committee report section, as at today (s)", f"{section_live:.1f}", ""),
        ("committee report section, as at 90 days ago (s)", f"{section_as_at:.1f}", ""),
    ])


if __name__ == "__main__":
    main()
