"""Placeholder, replaced below."""


def build(demo: dict) -> None:
    return None
