"""How claims and pull requests are named in the table, the detail and `tasks`."""

from datetime import datetime, timezone

from tracker.campaign.labels import age, claim_label, pull_label

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def test_claims_say_who_where_and_how_long_ago():
    assert claim_label("ana", "comment", "2026-11-22T10:00:00Z", NOW) == "@ana (comment, 3 days ago)"
    assert claim_label("bo", "pull", "2026-11-24T10:00:00Z", NOW) == "@bo (pull request, 1 day ago)"
    assert claim_label("cy", "assignee", "2026-11-25T08:00:00Z", NOW) == "@cy (assigned, today)"
    assert claim_label("me", "local", "2026-10-01T00:00:00Z", NOW) == "me (here, 7 weeks ago)"
    assert claim_label("x", "comment", "not a date", NOW) == "@x (comment)"
    assert age("2024-11-01T00:00:00Z", NOW) == "2 years ago" and age("2025-11-01T00:00:00Z", NOW) == "12 months ago" and age("2026-08-01T00:00:00Z", NOW) == "3 months ago"


def test_pull_requests_say_where_they_stand_and_their_number():
    assert pull_label({"number": 7, "state": "open"}) == "in review #7"
    assert pull_label({"number": 8, "state": "merged"}) == "merged #8"
    assert pull_label(None) == ""
