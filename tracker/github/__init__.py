"""jit-tracker on GitHub, in the order data flows.

* :mod:`.client`: PyGithub with retries, backoff and rate-limit handling (no tracker imports
  above ``errors``, so the sources layer may use it);
* :mod:`.planning`: pure decisions, tasks + issues -> actions (``plan``);
* :mod:`.writing`: carrying a plan out (``Executor``) and recording the result in the state.
"""
