"""Commissioning programme benchmarks at 500 projects and 5,000 risks.

Target: programme page median server time <= 150 ms with a query count that does not grow with rows.
"""

import random
from datetime import timedelta

from common import drop_database, report, setup_django, timed, view_timing

PROJECTS = 500
RISKS = 5000


def load(rng, today, lead):
    from contracts.models import ServiceArea
    from programme.models import Engagement, Product, Project, Risk

    areas = list(ServiceArea.objects.values_list("code", flat=True))
    stages = ["Analyse", "Plan", "Do", "Review"]
    projects = Project.objects.bulk_create([
        Project(reference=f"BENCH-{i:04d}", title=f"Bench commissioning project {i}", service_area_id=rng.choice(areas),
                lead=lead, stage=rng.choice(stages), status=rng.choice(["active"] * 8 + ["complete", "stopped"]),
                next_gateway_due=today + timedelta(days=rng.randrange(-60, 240)),
                savings_target=rng.randrange(0, 400) * 1000, savings_delivered=rng.randrange(0, 400) * 1000)
        for i in range(PROJECTS)
    ])
    kinds = ["needs_analysis", "options_appraisal", "eia", "business_case", "award_decision"]
    Product.objects.bulk_create([
        Product(project=p, kind=k, status=rng.choice(["draft", "approved", "approved"]))
        for p in projects for k in kinds[: rng.randrange(0, len(kinds) + 1)]
    ])
    risks = []
    for i in range(RISKS):
        likelihood, impact = rng.randrange(1, 6), rng.randrange(1, 6)
        risks.append(Risk(project=projects[i % PROJECTS] if i % 50 else None, description=f"Bench risk {i}",
                          likelihood=likelihood, impact=impact, score=likelihood * impact,
                          status=rng.choice(["open"] * 4 + ["closed"]),
                          review_on=today + timedelta(days=rng.randrange(-90, 90))))
    Risk.objects.bulk_create(risks)
    Engagement.objects.bulk_create([
        Engagement(project=projects[i % PROJECTS], group=rng.choice(["children", "parents", "providers", "partners"]),
                   method="Bench session", held_on=today - timedelta(days=rng.randrange(0, 365)),
                   you_said="Bench", we_did=rng.choice(["", "Changed"]))
        for i in range(1000)
    ])


def main():
    setup_django("bench_programme")
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from core.roles import COMMISSIONER
    from programme.selectors import project_status_rows

    today = timezone.localdate()
    lead = get_user_model().objects.create_user("bench-lead", password="bench-password-123")
    lead.groups.add(Group.objects.get(name=COMMISSIONER))
    _, loading = timed(load, random.Random(500), today, lead)

    client = Client()
    client.force_login(lead)
    programme = view_timing(client, "/programme/")
    filtered = view_timing(client, "/programme/?stage=Do")
    projects = view_timing(client, "/programme/projects/")
    risks = view_timing(client, "/programme/risks/?overdue=on")
    _, status = timed(project_status_rows, as_of=today)

    report(f"Commissioning programme at {PROJECTS} projects and {RISKS:,} risks (PostgreSQL)", [
        ("load (bulk)", f"{loading:.2f} s", "-"),
        ("programme page median server time", f"{programme['median_ms']:.0f} ms", "<= 150 ms"),
        ("programme page queries", str(programme["queries"]), "constant"),
        ("programme page, one stage", f"{filtered['median_ms']:.0f} ms", "<= 150 ms"),
        ("project list median (50 a page)", f"{projects['median_ms']:.0f} ms", "-"),
        ("risk register, reviews overdue", f"{risks['median_ms']:.0f} ms", "-"),
        ("programme_status rows", f"{status * 1000:.0f} ms", "-"),
    ])
    drop_database("bench_programme")


if __name__ == "__main__":
    main()
