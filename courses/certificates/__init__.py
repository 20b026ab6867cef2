"""Certification: certificate types and their rules, numbered certificates tied to worker records,
renewal, batch printing and public verification.

- ``models``: types (with their requirements), certificates, the one transition table;
- ``rules``: does a worker meet a type's earning rule (or a certificate's renewal rule), and with what evidence;
- ``issuing``: numbers, issuing by rule and by HR, the triggers (attempt graded, training recorded);
- ``lifecycle``: expiry, revocation, suspension with the worker's status, the registry's duty status;
- ``renewal``: the renewal window, what is missing, successors, reminder lists;
- ``sweep``: the nightly pass (``flask academy certificates-sweep``);
- ``queries``, ``documents`` (what a PDF shows), ``batch`` (the printing job), ``views``, ``api``, ``setup``.
"""
