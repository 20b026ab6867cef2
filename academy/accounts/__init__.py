"""Accounts: users, log-in with throttling, password policy, and role grants scoped to areas."""
