"""Reading python/cpython's campaign against the stand-in of tests/github/standin.py (the
campaign's issues in every form among thousands of unrelated pull requests), over real
HTTP: requests counted and time of a first read, a rerun with nothing new, a rerun after
one new comment; and who / which pull request the reader finds per task against what the
stand-in's threads give.

    .venv/bin/python benchmarks/bench_campaign.py [--unrelated 3000]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unrelated", type=int, default=3000, help="unrelated pull requests (default 3000)")
    args = parser.parse_args()
    os.environ["JIT_TRACKER_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-campaign-")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from pytest_httpserver import HTTPServer

    from tests.github import standin
    from tests.github.fake import FakeGitHub
    from tracker.campaign import tracking
    from tracker.github import reading, rest
    from tracker.tasks import TaskSet

    server = HTTPServer()
    server.start()
    try:
        fake = FakeGitHub(server, repo=standin.REPO)
        standin.build(fake, unrelated=args.unrelated)
        table = tracking.load()
        tracked = tracking.campaign(standin.REPO, table=table)
        print(f"stand-in: {len(fake.pulls)} pull requests ({len(standin.EXPECT_PULLS)} tasks with a campaign one), "
              f"{len(fake.issues)} issues, {sum(len(v) for v in fake.comments.values())} comments")

        def run(what: str) -> reading.Campaign:
            reader = rest.Reader(standin.REPO, None, base_url=fake.base_url)
            before = fake.counted
            t = time.perf_counter()
            found = reading.read_campaign(reader, TaskSet({}, standin.TASKS), tracked, kinds=table.kinds)
            took = time.perf_counter() - t
            r = found.requests
            print(f"{what}: {r['sent']} request(s) sent, {r['counted']} counted (server saw {fake.counted - before}), "
                  f"{r['not_modified']} answered 304, {r['kept']} kept without asking; {took:.2f} s")
            return found

        first = run("first read")
        run("rerun, nothing new")
        run("another rerun, nothing new")
        fake.add_comment(145866, "new-fay", "I'll take `_CALL_TUPLE_1`.")
        run("rerun, one new comment")

        claims = {t: c.by for t, c in first.claims.items()}
        pulls = {t: p.number for t, p in first.pulls.items()}
        right = sum(claims.get(t) == who for t, who in standin.EXPECT_CLAIMS.items())
        false = sum(standin.EXPECT_CLAIMS.get(t) != who for t, who in claims.items())
        right_pr = sum(pulls.get(t) == n for t, n in standin.EXPECT_PULLS.items())
        print(f"right person on {right} of {len(standin.EXPECT_CLAIMS)} tasks the threads give to someone; "
              f"{false} false claim(s)")
        print(f"right pull request on {right_pr} of {len(standin.EXPECT_PULLS)} tasks that have one")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
