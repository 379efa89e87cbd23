"""The journeys of the issue, clicked through in a real browser:
a resident submits and follows an initiative; a broker takes it on and sends it to
consultation; an official declines with motivation and alternative; the resident sees the
answer; a manager sees the stalled item on the overview."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import LAPTOP, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Bloembakken en een zebrapad bij de school"


def log_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(locale="nl-NL", viewport=LAPTOP).new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(username)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    return page


def test_resident_broker_official_manager(demo_live: Any, page: Page, browser: Browser) -> None:
    base = demo_live.url
    page.on("dialog", lambda dialog: dialog.accept())

    # -- a resident submits, first with a mistake: errors beside the fields, nothing lost
    page.goto(f"{base}/")
    shoot(page, "home")
    page.get_by_role("link", name="Initiatief indienen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Initiatief indienen")
    page.get_by_label("Titel van uw initiatief").fill(TITLE)
    page.get_by_label("Wat wilt u doen?").fill(
        "Kinderen steken over op een drukke weg. Wij willen bloembakken die het verkeer "
        "afremmen en een zebrapad, en we onderhouden de bakken zelf.")
    page.get_by_label("Wijk of kern").select_option(label="Centrum")
    page.get_by_label("grond of ruimte").check()
    page.get_by_label("Gevraagd budget in hele euro's").fill("-10")
    page.get_by_label("Uw naam").fill("Anna de Boer")
    page.get_by_label("Uw e-mailadres").fill("anna@example.org")
    page.get_by_role("button", name="Initiatief versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Het bedrag mag niet negatief zijn.")
    budget = page.get_by_label("Gevraagd budget in hele euro's")
    expect(budget).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Titel van uw initiatief")).to_have_value(TITLE)
    shoot(page, "intake-errors")
    budget.fill("250")
    page.get_by_role("button", name="Initiatief versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw initiatief is ontvangen")
    tracking = page.locator("#tracking-link").get_attribute("href")
    assert tracking and "/volgen/" in tracking
    shoot(page, "intake-received")

    # -- ... and follows it
    page.goto(tracking)
    expect(page.locator("#state")).to_have_text("ingediend")
    expect(page.locator("#at-turn")).to_contain_text("initiatiefmakelaar")

    # -- a broker takes it on and agrees expectations
    broker = log_in(browser, base, "makelaar")
    expect(broker.get_by_role("heading", level=1)).to_have_text("Mijn initiatieven")
    shoot(broker, "broker-board")
    broker.get_by_role("link", name=TITLE).click()
    broker.get_by_text("Oppakken", exact=True).first.click()
    broker.get_by_role("button", name="Oppakken").click()
    expect(broker.locator("#state")).to_have_text("kennismaking")
    broker.get_by_text("Afspraken vastleggen", exact=True).first.click()
    broker.get_by_label("Wat de initiatiefnemers doen").fill("Zij onderhouden de bakken.")
    broker.get_by_label("Wat de gemeente doet").fill("De gemeente levert de bakken.")
    broker.get_by_role("button", name="Afspraken vastleggen").click()
    expect(broker.locator("#state")).to_have_text("uitwerking")

    # -- the residents submit their plan with their own button
    page.reload()
    expect(page.get_by_text("De gemeente levert de bakken.")).to_be_visible()
    page.get_by_role("button", name="Plan indienen").click()
    expect(page.locator("#state")).to_have_text("plan ingediend")
    shoot(page, "tracking")

    # -- the broker corrects the routing proposal and sends it to consultation
    broker.reload()
    routing = broker.locator("#routing")
    if routing.get_by_text("Verkeer en Mobiliteit").count() == 0:
        broker.get_by_label("Afdeling toevoegen").select_option(label="Verkeer en Mobiliteit")
        broker.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(broker.locator("#routing")).to_contain_text("Verkeer en Mobiliteit")
    shoot(broker, "broker-initiative")
    broker.get_by_text("Naar afstemming sturen", exact=True).first.click()
    broker.get_by_role("button", name="Naar afstemming sturen").click()
    expect(broker.locator("#state")).to_have_text("in afstemming")

    # -- an official of traffic declines with a motivation and an alternative
    official = log_in(browser, base, "verkeer")
    expect(official.get_by_role("heading", level=1)).to_have_text("Vragen aan mijn afdeling")
    shoot(official, "official-inbox")
    official.get_by_role("link", name=TITLE).click()
    official.get_by_label("niet akkoord").check()
    official.get_by_role("button", name="Antwoord versturen").click()
    expect(official.locator("#id_motivation-error")).to_be_visible()
    expect(official.get_by_label("niet akkoord")).to_be_checked()
    shoot(official, "official-answer-errors")
    official.get_by_label("Motivering").fill(
        "Een zebrapad kan hier niet: er steken te weinig mensen over voor de regels.")
    official.get_by_label("Alternatief").fill(
        "Wij plaatsen een verkeersdrempel en een oversteekplaats met middenberm.")
    official.get_by_role("button", name="Antwoord versturen").click()
    expect(official.get_by_role("status")).to_contain_text("Uw antwoord is verstuurd")

    # -- the resident sees the answer with its reasons
    page.reload()
    answers = page.locator("#answers")
    expect(answers).to_contain_text("niet akkoord")
    expect(answers).to_contain_text("te weinig mensen over")
    expect(answers).to_contain_text("verkeersdrempel")
    shoot(page, "tracking-answer")

    # -- weeks later nobody moved: the scan flags it and a manager sees it on the overview
    from django.utils import timezone

    from loket.monitoring.services import scan_flags

    scan_flags(now=timezone.now() + timedelta(days=90), notify=False)
    manager = log_in(browser, base, "manager")
    expect(manager.get_by_role("heading", level=1)).to_have_text("Vastgelopen initiatieven")
    expect(manager.locator("#stalled")).to_contain_text(TITLE)
    shoot(manager, "manager-stalled")
    manager.get_by_role("link", name="Overzicht").click()
    expect(manager.locator("svg").first).to_be_visible()
    shoot(manager, "manager-summary")
    manager.get_by_role("link", name="Initiatievenkaart").click()
    expect(manager.get_by_role("cell", name="Centrum")).to_be_visible()
    shoot(manager, "manager-map")


def test_keyboard_skip_link_and_visible_focus(demo_live: Any, page: Page) -> None:
    page.goto(f"{demo_live.url}/initiatief/nieuw")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0  # visible once focused
    outline = skip.evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).boxShadow")
    assert "solid" in outline or "rgb" in outline
    page.keyboard.press("Enter")
    assert re.search(r"#main$", page.url)


def test_language_switch_to_english(demo_live: Any, page: Page) -> None:
    page.goto(f"{demo_live.url}/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Skip to content")).to_have_count(1)
