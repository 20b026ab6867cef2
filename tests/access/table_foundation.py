"""Access rows of the shell and the accounts package."""
from __future__ import annotations

from academy.extensions import db
from academy.jobs import Job, JobStatus
from tests.access import Access, everyone


def build(world) -> None:
    job = Job(kind="test.echo", params={}, status=JobStatus.DONE, created_by_id=world.users["hr"].id)
    db.session.add(job)
    db.session.flush()
    world["job"] = job


ADMIN_ONLY = {"admin": 200}

ACCESS = [
    Access("web.home", "/", everyone(200)),
    Access("web.health", "/healthz", everyone(200, anonymous=200)),
    Access("web.openapi", "/api/openapi.yaml", everyone(200, anonymous=200)),
    Access("vendor.serve", "/vendor/echarts.min.js", everyone(200, anonymous=200)),
    Access("web.switch_language", "/language", everyone(302, anonymous=302), method="POST", data={"language": "en"}),
    Access("web.my_jobs", "/jobs", everyone(200)),
    Access("web.job_page", lambda w: f"/jobs/{w['job'].id}", {"admin": 200, "hr": 200}),
    Access("web.job_status", lambda w: f"/jobs/{w['job'].id}/status.json", {"admin": 200, "hr": 200}),
    # The job has no result file: its owner and the admin get 404, everyone else 403.
    Access("web.job_result", lambda w: f"/jobs/{w['job'].id}/result", {"admin": 404, "hr": 404}),
    # The trainee's frame (issue 18): "me", and what installs the site, which anyone may fetch.
    Access("frame.me", "/me", everyone(200)),
    Access("frame.manifest", "/manifest.webmanifest", everyone(200, anonymous=200)),
    Access("frame.icon", "/icons/icon-192.png", everyone(200, anonymous=200)),
    Access("frame.service_worker", "/sw.js", everyone(200, anonymous=200)),
    Access("frame.offline", "/offline", everyone(200, anonymous=200)),
    Access("accounts.login", "/login", everyone(302, anonymous=200)),
    # Sign-in through the identity provider: not configured in the session's app, so no button and
    # 404 for everyone (tests/academy/oidc walks both steps configured, against a real provider).
    Access("oidc.start", "/login/oidc", everyone(404, anonymous=404)),
    Access("oidc.callback", "/login/oidc/callback?code=x&state=y", everyone(404, anonymous=404)),
    Access("accounts.logout", "/logout", everyone(302), method="POST"),
    Access("accounts.account", "/account", everyone(200)),
    Access("accounts.users", "/admin/users", ADMIN_ONLY),
    Access("accounts.new_user", "/admin/users/new", ADMIN_ONLY),
    Access("accounts.user", lambda w: f"/admin/users/{w.users['viewer'].id}", ADMIN_ONLY),
    Access("accounts.edit_user", lambda w: f"/admin/users/{w.users['viewer'].id}", {"admin": 400}, method="POST"),
    Access("accounts.reset_password", lambda w: f"/admin/users/{w.users['viewer'].id}/password", {"admin": 400}, method="POST"),
    Access("accounts.add_grant", lambda w: f"/admin/users/{w.users['viewer'].id}/grants", {"admin": 302}, method="POST",
           data={"role": "viewer", "area_code": ""}),
    Access("accounts.revoke_grant", lambda w: f"/admin/users/{w.users['viewer'].id}/grants/{w.users['viewer'].grants[0].id}/revoke",
           {"admin": 302}, method="POST"),
    Access("accounts.audit_log", "/admin/audit", ADMIN_ONLY),
    Access("accounts.audit_export", "/admin/audit/export.xlsx", ADMIN_ONLY),
]
