"""The campaign as people run it on GitHub, read without touching the network.

* :mod:`.names`: uop and instruction names in free text -> task ids (of the campaign's kind first);
* :mod:`.phrases`: one comment -> claims, withdrawals, offers and acceptances
  (patterns in ``data/claims.yaml``);
* :mod:`.thread`: a thread of comments, pull requests and a tracking checklist -> who holds
  which task, which pull request works on it, what the tracking issue ticks or crosses out;
* :mod:`.tracking`: which issue tracks each kind of task (``data/tracking.yaml``).

Fetching lives in :mod:`tracker.github.reading`; these modules are pure, so the corpus
tests run them phrase by phrase.
"""
