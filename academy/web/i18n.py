"""Language and time zone: the user's choice, then the browser's, then Chinese and Shanghai."""
from __future__ import annotations

from datetime import datetime

from babel import support
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Domain, format_datetime, get_locale
from flask_login import current_user


def locale_code() -> str | None:
    """The current locale as the catalogues name it (``zh_CN``, ``en``)."""
    locale = get_locale()
    if locale is None:
        return None
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


class CatalogueDomain(Domain):
    """Load catalogues by language and territory: Babel reads ``zh_CN`` as ``zh_Hans_CN``,
    a name gettext would never find in ``translations/zh_CN``."""

    def get_translations(self):
        code = locale_code()
        if code is None:
            return support.NullTranslations()
        cache = self.get_translations_cache(None)
        if code not in cache:
            translations = support.Translations()
            for dirname in self.translation_directories:
                translations.merge(support.Translations.load(dirname, [code], self.domain[0]))
            cache[code] = translations
        return cache[code]


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI and jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def local_datetime(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """A UTC datetime shown in the user's zone; empty for None."""
    return format_datetime(value, fmt) if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["local_datetime"] = local_datetime
