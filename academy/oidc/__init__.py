"""Sign-in through the city's identity provider over OpenID Connect (issue 16), offered beside the
password log-in when ``ACADEMY_OIDC_*`` are set. It sits above the registry: a person the provider
vouches for is matched to a worker record, and signed in to that worker's account."""
