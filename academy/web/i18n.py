"""Language and time zone: the user's choice, then the browser's, then Chinese and Shanghai."""
from __future__ import annotations

import functools
from datetime import datetime
from functools import cached_property

from babel import Locale, support
from flask import Flask, Request, current_app, has_request_context, request, session
from flask_babel import Domain, format_datetime, get_locale
from flask_login import current_user
from wtforms.i18n import messages_path


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
                catalogue = support.Translations.load(dirname, [code], self.domain[0])
                translations.merge(catalogue)
                if hasattr(catalogue, "plural"):  # merge() forgets the plural rule (as Flask-Babel notes)
                    translations.plural = catalogue.plural
            cache[code] = translations
        return cache[code]


@functools.cache
def parsed_locale(code: str) -> Locale:
    """Each language parsed once per process: Flask-Babel parses the selector's answer on every
    request otherwise, and Babel's parse checks the name against every locale it knows."""
    return Locale.parse(code)


def select_locale() -> Locale:
    return parsed_locale(_chosen_language())


def _chosen_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI and jobs speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


@functools.cache
def _wtforms_catalogue(locale: Locale) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")  # as Flask-WTF loads it


class AcademyRequest(Request):
    """Flask-WTF reads WTForms' own messages ("This field is required.") from
    ``request.wtforms_translations`` and, when a request has none, loads the catalogue file
    again; here each language's catalogue is loaded once per process instead."""

    @cached_property
    def wtforms_translations(self) -> support.Translations:
        return _wtforms_catalogue(get_locale())


def select_timezone() -> str:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def local_datetime(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """A UTC datetime shown in the user's zone; empty for None."""
    return format_datetime(value, fmt) if value else ""


def init_app(app: Flask) -> None:
    app.request_class = AcademyRequest
    app.jinja_env.filters["local_datetime"] = local_datetime
