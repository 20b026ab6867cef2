"""The shell every page stands in: locale and time zone, security headers, errors, home, jobs."""
