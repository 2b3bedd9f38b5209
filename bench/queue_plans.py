"""The work queue's page queries at scale: time and the database's own plan.

    DATABASE_URL=sqlite:////tmp/scale-bench/cstraject-bench-100000.sqlite3 python bench/queue_plans.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cs_bench_scale_100k python bench/queue_plans.py --plans 4

Runs `web.selectors.work_queue` for every combination of status, province, sort and page that
`../shared/bench/web_load.py` requests (best of three per combination), prints the median and
the slowest, then EXPLAIN for the slowest ones and for a few searches.
"""

import argparse
import os
import statistics
import time


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=3, help="EXPLAIN the N slowest combinations")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cstraject.settings")
    import django

    django.setup()
    from django.db import connection

    from cstraject.accounts.actors import Actor
    from cstraject.accounts.models import Role
    from cstraject.dossiers.models import Dossier
    from cstraject.web import selectors

    actor = Actor(label="bench", role=Role.CASE_HANDLER)
    timings = []
    for status in ["submitted", "approved", "in_progress", "finished", ""]:
        for province in ["", "antwerpen", "limburg"]:
            for sort in selectors.QUEUE_SORTS:
                for page in [1, 5, 40]:
                    best = float("inf")
                    for _ in range(3):
                        start = time.perf_counter()
                        selectors.work_queue(actor=actor, status=status, province=province, sort=sort, page=page)
                        best = min(best, time.perf_counter() - start)
                    timings.append((best * 1000, status, province, sort, page))
    timings.sort(reverse=True)
    print(f"{connection.vendor}: {len(timings)} combinations, median {statistics.median(t[0] for t in timings):.1f} ms")
    for ms, status, province, sort, page in timings[:5]:
        print(f"  {ms:6.1f} ms  status={status or 'alle'} province={province or 'alle'} sort={sort} page={page}")
    for _, status, province, sort, _page in timings[: args.plans]:
        queryset = Dossier.objects.all()
        if status:
            queryset = queryset.filter(status=status)
        if province:
            queryset = queryset.filter(province=province)
        print(f"\nEXPLAIN status={status or 'alle'} province={province or 'alle'} sort={sort}:")
        print(queryset.order_by(*selectors.QUEUE_SORTS[sort])[:26].explain())
    from cstraject.companies.models import Company

    number = Company.objects.order_by("pk").values_list("enterprise_number", flat=True)[4567]
    dotted = f"BE {number[:4]}.{number[4:7]}.{number[7:]}"
    for text in ("bedrijf 4567", "BEDRÏJF 4567", dotted, "CS-B-0004567", "bedrijf 1", "zzzz"):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            page = selectors.work_queue(actor=actor, q=text, status="")
            best = min(best, time.perf_counter() - start)
        print(f"search {text!r}: {best * 1000:.1f} ms, {len(page.rows)} rows")


if __name__ == "__main__":
    main()
