"""First sign-in and recovery for people without e-mail: activation codes and letters, SMS resets.

A worker's first log-in comes from a one-time activation code printed on a letter HR hands him;
a forgotten password comes back through a one-time code sent to his registered phone. Both kinds
of code are stored only as keyed hashes, expire, and are used once (``models.AccessCode``).
This package sits above the registry (it reads workers) and below the teaching side.
"""
