"""What the page shows is what gets saved, downloaded and printed, in a real browser.

Each field is typed into with ``fill()`` and the action clicked at once, without leaving the
field: the browser then sends the field's new value together with the click (the case a
value captured when the page was drawn gets wrong). What arrives is read back from the
visit history (the server's BSA_HISTORY_DB, see conftest.py), the downloaded session file
and the text of the downloaded PDF map.

Also: a refused session file changes nothing, a cleared age keeps the last one, the page
asks before it is left with unsaved marks, and hostile file names, pseudonyms and file
contents are shown as text with no request to another host.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from driving import fill_half, panel, settle, total, wait_total
from playwright.sync_api import expect

import bsa
from bsa.core.regions import PART_INDEX
from bsa.records.assessment import Assessment
from bsa.records.history import History
from bsa.records.session import from_json, to_json

pytestmark = pytest.mark.browser  # skipped without chromium: see conftest.py

HOSTILE = [
    "![x](http://example.invalid/f.png)",
    "<img src=http://example.invalid/a.png>",
    ":red[x]",
    "$$\\frac{1}{2}$$",
    "[link](http://example.invalid)",
    ":material/home: www.example.invalid _a_ **b**",
]


# ----------------------------------------------------------------------------- helpers
# (those of every browser test are in driving.py)


def open_records(pg) -> None:
    panel(pg, "Save, print, history")
    pg.get_by_role("button", name="Prepare the session file (.json)").wait_for()


def button(pg, name: str):
    return pg.get_by_role("button", name=name, exact=True)


def notes_field(pg):
    return pg.get_by_label("Notes for the map (printed on it and saved with the session)", exact=True)


def type_date(pg, label: str, day: str) -> None:
    """Type a date into a date field's segments (year, month, day); the focus stays there."""
    year, month, dd = day.split("-")
    pg.get_by_role("spinbutton", name=f"year, {label}").focus()
    pg.keyboard.type(year)
    pg.keyboard.type(month)
    pg.keyboard.type(dd)


def visits_of(db: Path, pseudonym: str):
    return History(db).list_visits(pseudonym)


def wait_visits(pg, db: Path, pseudonym: str, count: int, timeout: float = 30.0) -> None:
    """Wait until the history holds ``count`` visits of ``pseudonym`` (and the page settled)."""
    for _ in range(int(timeout / 0.1)):
        if History(db).exists() and len(visits_of(db, pseudonym)) >= count:
            break
        pg.wait_for_timeout(100)
    settle(pg)
    assert len(visits_of(db, pseudonym)) == count


def latest(db: Path, pseudonym: str):
    """The visit saved last (visits are listed by visit date)."""
    return max(visits_of(db, pseudonym), key=lambda v: v.visit_id)


def ready(pg, *words: str) -> None:
    """Wait until a prepared file is offered whose description holds ``words``."""
    line = pg.locator(".bsa-say[data-kind=caption]", has_text="Ready:")
    for word in words:
        line = line.filter(has_text=word)
    line.first.wait_for(timeout=30_000)


def download(pg, name: str) -> bytes:
    with pg.expect_download(timeout=30_000) as info:
        button(pg, name).click()
    path = info.value.path()
    return Path(path).read_bytes()


def dom_text(pg) -> str:
    """All text of the page, as the DOM holds it (inputs' values included)."""
    return pg.evaluate(
        "() => document.body.innerText + '\\n' + Array.from(document.querySelectorAll("
        "'input, textarea')).map(e => e.value).join('\\n')")


# ----------------------------------------------------------------------------- item 1


def test_a_save_uses_every_field_as_typed_at_the_click(page, history_db):
    pg = page
    fill_half(pg, "front", "head:front")
    assert total(pg) == pytest.approx(3.5)
    open_records(pg)
    pseudonym = pg.get_by_label("Or a new pseudonym", exact=True)
    save = button(pg, "Save this assessment as a visit")

    pseudonym.fill("CT-001")
    save.click()  # at once: the field still has the focus
    wait_visits(pg, history_db, "CT-001", 1)

    # A new pseudonym typed and saved at once goes to the new patient, not the previous.
    pseudonym.fill("CT-002")
    save.click()
    wait_visits(pg, history_db, "CT-002", 1)
    assert len(visits_of(history_db, "CT-001")) == 1
    expect(pg.locator(".bsa-say[data-kind=success]")).to_contain_text("of CT-002 on")

    # The age typed in the sidebar and saved at once: 8 years, not 30.
    age = pg.get_by_label("Age (whole years)", exact=True)
    age.fill("8")
    save.click()
    wait_visits(pg, history_db, "CT-002", 2)
    last = latest(history_db, "CT-002")
    assert last.age_years == 8.0
    assert last.percent_bsa == pytest.approx(bsa.half_weights(8)[PART_INDEX["head:front"]])

    # The visit date typed and saved at once.
    type_date(pg, "Visit date", "2026-03-04")
    save.click()
    wait_visits(pg, history_db, "CT-002", 3)
    assert latest(history_db, "CT-002").visit_date == "2026-03-04"

    # Notes typed and saved at once.
    notes_field(pg).fill("Thin layer twice daily, review in 8 weeks")
    save.click()
    wait_visits(pg, history_db, "CT-002", 4)
    stored = History(history_db).get_visit(latest(history_db, "CT-002").visit_id)
    assert stored.assessment.notes == "Thin layer twice daily, review in 8 weeks"
    assert stored.assessment.age_years == 8.0


def test_downloads_hold_what_was_typed_at_the_click(page):
    from pypdf import PdfReader

    pg = page
    fill_half(pg, "front", "anterior_trunk:front")
    open_records(pg)

    # The session file: notes and age typed, "prepare" clicked at once.
    notes_field(pg).fill("Session notes typed last")
    button(pg, "Prepare the session file (.json)").click()
    settle(pg)
    ready(pg, "Session notes typed last")
    saved = from_json(download(pg, "Download the session file"))
    assert saved.notes == "Session notes typed last"
    pg.get_by_label("Age (whole years)", exact=True).fill("12")
    button(pg, "Prepare the session file (.json)").click()
    settle(pg)
    ready(pg, "age 12 years", "Session notes typed last")
    saved = from_json(download(pg, "Download the session file"))
    assert saved.age_years == 12
    assert saved.notes == "Session notes typed last"

    # The map: notes and the date on the map typed, "prepare" clicked at once.
    notes_field(pg).fill("Map notes typed last")
    button(pg, "Prepare the application map").click()
    settle(pg)
    ready(pg, "Map notes typed last")
    type_date(pg, "Date on the map", "2026-02-03")
    button(pg, "Prepare the application map").click()
    settle(pg)
    ready(pg, "date on the map 2026-02-03", "Map notes typed last")
    pdf = download(pg, "Download the application map (PDF, A4)")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Map notes typed last" in text
    assert "3 February 2026" in text or "2026-02-03" in text


def test_a_prepared_file_is_dropped_when_the_page_changes(page):
    pg = page
    open_records(pg)
    notes_field(pg).fill("First notes")
    button(pg, "Prepare the session file (.json)").click()
    settle(pg)
    ready(pg, "First notes")
    assert button(pg, "Download the session file").is_visible()
    downloads = []
    pg.on("download", lambda d: downloads.append(d))
    # Notes edited, then the download clicked at once: the old file is not handed over.
    notes_field(pg).fill("Second notes")
    button(pg, "Download the session file").click()
    settle(pg)
    pg.get_by_text("The page changed after the file was prepared").wait_for()
    assert button(pg, "Download the session file").count() == 0
    assert downloads == []
    # Prepared again, it holds the notes on screen.
    button(pg, "Prepare the session file (.json)").click()
    settle(pg)
    ready(pg, "Second notes")
    saved = from_json(download(pg, "Download the session file"))
    assert saved.notes == "Second notes"


# ----------------------------------------------------------------------------- items 2-4


def test_a_refused_file_changes_nothing(page, tmp_path):
    pg = page
    fill_half(pg, "front", "head:front")
    open_records(pg)
    notes_field(pg).fill("Notes on screen")
    notes_field(pg).press("Tab")
    settle(pg)
    # A valid session file whose marks are not the size this page draws.
    small = Assessment(age_years=9, figure_id="older_child", rule_id="opzelura_us_vitiligo",
                       masks={"front": np.ones((180, 80), dtype=bool)}, notes="from the file")
    path = tmp_path / "small-marks.json"
    path.write_text(to_json(small))
    pg.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    settle(pg)
    expect(pg.locator(".bsa-say[data-kind=error]")).to_contain_text(
        "small-marks.json cannot be shown on this page, and nothing on the page changed")
    assert button(pg, "Put it on the page (replaces the current marks)").count() == 0
    assert pg.get_by_label("Age (whole years)", exact=True).input_value() == "30"
    assert notes_field(pg).input_value() == "Notes on screen"
    assert total(pg) == pytest.approx(3.5)
    assert "Mild to moderate atopic dermatitis" in pg.locator(
        "[data-testid=stSidebar]").inner_text()


def test_a_cleared_age_keeps_the_last_one_and_blocks_saving(page):
    pg = page
    fill_half(pg, "front", "head:front")
    open_records(pg)
    age = pg.get_by_label("Age (whole years)", exact=True)
    age.fill("")
    age.press("Tab")
    settle(pg)
    side = pg.locator("[data-testid=stSidebar]")
    expect(side).to_contain_text("An age is needed")
    assert total(pg) == pytest.approx(3.5)  # not the newborn's 9.5
    expect(button(pg, "Save this assessment as a visit")).to_be_disabled()
    expect(button(pg, "Prepare the session file (.json)")).to_be_disabled()
    expect(button(pg, "Prepare the application map")).to_be_disabled()
    age.fill("130")
    age.press("Tab")
    settle(pg)
    expect(side).to_contain_text("130 is not an age")
    assert total(pg) == pytest.approx(3.5)
    age.fill("5")
    age.press("Tab")
    wait_total(pg, bsa.half_weights(5)[PART_INDEX["head:front"]])
    expect(side).not_to_contain_text("An age is needed")
    expect(button(pg, "Save this assessment as a visit")).to_be_enabled()


def test_leaving_with_unsaved_marks_asks_first(page):
    pg = page
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    pg.on("dialog", answer)
    fill_half(pg, "back", "left_thigh:back")
    pg.wait_for_selector(".bm[data-unsaved='1']")
    pg.evaluate("() => { setTimeout(() => location.reload(), 0); }")
    for _ in range(300):  # the prompt comes from the browser, outside the page's script
        if dialogs:
            break
        pg.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    assert total(pg) > 0  # still here, marks and all
    # Once the marks are downloaded as a session file, leaving asks nothing.
    open_records(pg)
    button(pg, "Prepare the session file (.json)").click()
    settle(pg)
    ready(pg, "age 30 years")
    download(pg, "Download the session file")
    settle(pg)
    pg.wait_for_selector(".bm[data-unsaved='0']")
    # Nothing about the patient is kept in the browser.
    stored = pg.evaluate("() => JSON.stringify([Object.entries(localStorage),"
                         " Object.entries(sessionStorage), document.cookie])")
    assert "data:image" not in stored and "left_thigh" not in stored
    pg.reload()
    settle(pg)
    assert dialogs == ["beforeunload"]


# ----------------------------------------------------------------------------- item 5


def test_hostile_names_and_contents_are_shown_as_text(page, tmp_path, requests_seen):
    pg = page
    open_records(pg)
    # A session file named like a Markdown image, with Markdown, HTML and LaTeX in its notes.
    notes = " ".join(HOSTILE)
    hostile_file = tmp_path / "![x](http:example.invalid) $$1$$ :red[x].json"
    hostile_file.write_text(to_json(Assessment(age_years=40, notes=notes,
                                               shares={"head": 0.5})))
    upload = pg.locator("[data-testid=stFileUploaderDropzoneInput]")
    upload.set_input_files(str(hostile_file))
    settle(pg)
    caption = pg.locator(".bsa-say[data-kind=caption]", has_text=hostile_file.name)
    expect(caption).to_have_count(1)
    expect(caption).to_contain_text(hostile_file.name + ": age 40 years")
    button(pg, "Put it on the page (replaces the current marks)").click()
    settle(pg)
    wait_total(pg, 3.5)
    assert notes_field(pg).input_value() == notes
    # A file whose rule id is hostile: refused, the id quoted literally.
    data = json.loads(to_json(Assessment(age_years=40)))
    data["assessment"]["rule_id"] = HOSTILE[0] + " " + HOSTILE[1]
    bad = tmp_path / "bad rule.json"
    bad.write_text(json.dumps(data))
    upload.set_input_files(str(bad))
    settle(pg)
    refused = pg.locator(".bsa-say[data-kind=error]", has_text="bad rule.json")
    expect(refused).to_contain_text(HOSTILE[0])
    expect(refused).to_contain_text("<img")
    # Pseudonyms: one the history refuses (its message quotes it), one it keeps.
    pseudonym = pg.get_by_label("Or a new pseudonym", exact=True)
    pseudonym.fill(HOSTILE[4])
    button(pg, "Save this assessment as a visit").click()
    settle(pg)
    expect(pg.locator(".bsa-say[data-kind=error]", has_text="The visit was not saved")
           ).to_contain_text(HOSTILE[4])
    kept = "www.example.invalid/_a_ (b)"
    pseudonym.fill(kept)
    button(pg, "Save this assessment as a visit").click()
    settle(pg)
    expect(pg.locator(".bsa-say[data-kind=success]")).to_contain_text(kept)
    expect(pg.locator(".bsa-say[data-kind=caption]", has_text="marked area per visit")
           ).to_contain_text(kept)
    text = dom_text(pg)
    for raw in (*HOSTILE, kept):
        assert raw in text, raw
    links = pg.evaluate(
        "() => [...document.querySelectorAll('a[href], img[src]')].map(e => e.href || e.src)")
    assert not [u for u in links if "example.invalid" in u], links
    assert pg.locator(".katex, [data-testid=stMarkdownColoredText], .stMarkdownColoredText"
                      ).count() == 0
    assert not [u for u in requests_seen if "example.invalid" in u]
