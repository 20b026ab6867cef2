"""A grid worker reports from a stairwell on a 360 px touch phone, in Chinese: the phone's position is shown
as his grid and area (never numbers); he adds three photos, removes one and sends while offline; the
report is kept on the phone (IndexedDB) with its resized photos, survives a reload on a network that
still fails, is sent exactly once when the network returns, and is in his list of cases."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from academy.cases import photos as case_photos
from academy.cases.models import Case, CasePhoto
from academy.extensions import db
from tests.fixtures.cases import build_world
from tests.support import log_in_page

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN", "is_mobile": True, "has_touch": True,
         "geolocation": {"latitude": 32.05, "longitude": 118.78}, "permissions": ["geolocation"]}
SQUARE = {"type": "Polygon", "coordinates": [[[118.775, 32.045], [118.785, 32.045], [118.785, 32.055],
                                              [118.775, 32.055], [118.775, 32.045]]]}


def photo_file(path, size, colour, kind="JPEG"):
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 97):  # some detail, so the file is not trivially small
        image.paste((x % 255, 80, 160), (x, 0, x + 40, size[1]))
    image.save(path, kind, quality=95)
    return str(path)


def cases_in_db(app) -> list[tuple[str, int, list[str]]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Case)).all()
        found = [(c.title, c.grid_id, [p.stored_name for p in db.session.scalars(
            sa.select(CasePhoto).where(CasePhoto.case_id == c.id))]) for c in rows]
        db.session.remove()
        return found


def test_worker_reports_offline_with_two_photos_and_it_is_filed_once(live_app, make_user, cases_server, browser,
                                                                      tmp_path, artifacts_dir):
    with live_app.app_context():
        world = build_world(make_user)
        world.grid.boundary_geojson = SQUARE
        grid_name, grid_id_expected = world.grid.name, world.grid.id
        db.session.commit()
    big = photo_file(tmp_path / "stairwell.jpg", (3200, 2400), (200, 40, 40))
    second = photo_file(tmp_path / "meter.png", (800, 600), (40, 200, 40), "PNG")
    third = photo_file(tmp_path / "extra.jpg", (640, 480), (40, 40, 200))

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    posts = []
    page.on("requestfinished", lambda r: posts.append(r.url) if r.method == "POST" and r.url.endswith("/cases/report")
            else None)
    log_in_page(page, cases_server, "worker")
    page.goto(f"{cases_server}/cases/report")
    # The position is asked for as the form opens (allowed before) and shown as a place in words.
    page.wait_for_selector(f"[data-testid=place] >> text={grid_name}")
    assert "32.05" not in page.inner_text("[data-testid=place-box]")
    assert page.locator("input[name=latitude]").get_attribute("type") == "hidden"
    assert page.input_value("input[name=latitude]") == "32.050000"

    context.set_offline(True)
    page.fill("input[name=title]", "楼道漏水")
    page.fill("textarea[name=description]", "5栋2单元三楼水管漏水，楼梯湿滑")
    page.fill("input[name=location]", "5栋2单元")
    page.set_input_files("input[name=photos]", [big, second])
    page.set_input_files("input[name=photos]", [third])
    page.wait_for_function("() => document.querySelectorAll('[data-testid=preview] img').length === 3")
    page.locator("[data-testid=remove-photo]").nth(2).tap()
    assert page.locator("[data-testid=preview]").count() == 2
    page.tap("[data-testid=submit-report]")
    status = page.locator("[data-testid=draft-text]")
    status.wait_for()
    assert "已保存在本机" in status.inner_text()
    assert cases_in_db(live_app) == [] and posts == []
    page.screenshot(path=str(artifacts_dir / "field-report-offline-360.png"), full_page=True)

    # Back in reach of a mast, but every send still fails: the reload finds the draft and keeps it.
    context.route("**/cases/report", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    context.set_offline(False)
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=preview] img').length === 2")
    assert page.input_value("input[name=title]") == "楼道漏水"
    assert page.input_value("input[name=location]") == "5栋2单元"
    page.wait_for_selector("[data-testid=draft-text] >> text=保存在本机")
    assert cases_in_db(live_app) == []

    # The network comes back: the draft goes out once, and the case page says it was filed.
    context.unroute("**/cases/report")
    context.set_offline(True)
    context.set_offline(False)
    page.wait_for_selector("[data-testid=number]")
    assert "已上报" in page.inner_text("main")
    context.set_offline(True)
    context.set_offline(False)  # another "online": nothing is left to send
    page.wait_for_timeout(500)
    filed = cases_in_db(live_app)
    assert len(filed) == 1 and len(posts) == 1
    title, grid_id, stored = filed[0]
    assert title == "楼道漏水" and grid_id == grid_id_expected and len(stored) == 2
    with live_app.app_context():
        sizes = [Image.open(io.BytesIO(case_photos.path_of(name).read_bytes())).size for name in stored]
    assert max(max(size) for size in sizes) <= 1600  # resized on the phone before the upload

    page.goto(f"{cases_server}/cases/mine")
    assert page.locator("[data-testid=case-list] >> text=楼道漏水").count() == 1
    assert page.locator("[data-testid=draft-status]").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    page.screenshot(path=str(artifacts_dir / "field-my-cases-360.png"), full_page=True)
    context.close()


def test_worker_starts_and_ends_a_patrol_with_one_big_button(live_app, make_user, cases_server, browser):
    with live_app.app_context():
        build_world(make_user)
        db.session.commit()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in_page(page, cases_server, "worker")
    page.goto(f"{cases_server}/patrols")
    start = page.locator("[data-testid=start-patrol]")
    box = start.bounding_box()
    assert box["width"] >= 280 and box["height"] >= 60  # one big button, across the phone (inside its panel)
    start.tap()
    page.wait_for_selector("[data-testid=running-patrol]")
    page.tap("[data-testid=end-patrol]")
    page.wait_for_selector("[data-testid=start-patrol]")
    page.fill("input[name=household]", "5栋201室")
    page.tap("[data-testid=record-visit]")
    page.wait_for_selector("[data-testid=visit-list] >> text=5栋201室")
    # The visit form comes before the lists, and the lists are cards on a phone, not squashed tables.
    form_y = page.locator("input[name=household]").bounding_box()["y"]
    assert form_y < page.locator("[data-testid=patrol-list]").bounding_box()["y"]
    assert page.locator("[data-testid=patrol-list].list-cards-ready tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    context.close()
