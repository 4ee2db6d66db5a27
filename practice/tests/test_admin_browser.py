"""The admin as practice staff use it, in a real browser (Debian's chromium, headless,
driven by Selenium through chromium-driver): sign in, create a session template with its
goals one per line, change the no-show policy, read an appointment's local time."""

import datetime
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from clinical.models import SessionTemplate
from practice.tests.factories import ClientFactory, PracticeFactory, StaffFactory, TherapistFactory
from scheduling.models import NoShowPolicy
from scheduling.tests.factories import AppointmentFactory

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
PASSWORD = "a-staff-password-1"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)",
    ),
]


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager look for a driver online
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.add_argument("--lang=en-GB")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def _submit(driver, button) -> None:
    """Click a form's button and wait until the next page has replaced this one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def _screenshot(driver, name: str) -> None:
    """With SCREENSHOT_DIR set, keep a picture of each step (for a person to look at)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def staff_member(db):
    practice = PracticeFactory(name="Praktijk Amsterdam", timezone="Europe/Amsterdam", default_language="nl")
    staff = StaffFactory(practice=practice, email="desk@test.example", is_staff=True, password=PASSWORD)
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["practice", "scheduling"])
        | Permission.objects.filter(content_type__app_label="clinical", codename__endswith="sessiontemplate")
    )
    return staff


def test_staff_work_in_the_admin_in_local_time(browser, live_server, staff_member):
    from selenium.webdriver.common.by import By

    practice = staff_member.practice
    therapist = TherapistFactory(practice=practice, first_name="Sanne", last_name="de Vries")
    client = ClientFactory(practice=practice, first_name="Anna", last_name="Jansen", therapists=[therapist])
    policy = NoShowPolicy.objects.create(practice=practice, default_fee=Decimal("25"), maximum_fee=Decimal("60"))
    day = datetime.date.today() + datetime.timedelta(days=2)
    starts = datetime.datetime.combine(day, datetime.time(7, 30), tzinfo=practice.tzinfo)
    appointment = AppointmentFactory(therapist=therapist, client=client, starts_at=starts)

    # Sign in (English from the browser's Accept-Language: the staff member chose no language).
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(staff_member.email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    assert browser.find_element(By.ID, "site-name").text == "Practice administration"
    assert browser.find_element(By.CSS_SELECTOR, ".practice-time-zone").get_attribute("textContent") == (
        "Times in Europe/Amsterdam"
    )
    assert not browser.find_elements(By.LINK_TEXT, "View site")  # no frontend configured: hidden
    _screenshot(browser, "1-index")

    # A session template: the practice is preselected, goals are typed one per line.
    browser.get(f"{live_server.url}/admin/clinical/sessiontemplate/add/")
    assert "Praktijk Amsterdam" in browser.find_element(By.CSS_SELECTOR, ".field-practice").text
    browser.find_element(By.NAME, "name").send_keys("Intake")
    browser.find_element(By.NAME, "session_type").send_keys("intake")
    browser.find_element(By.NAME, "default_goals").send_keys("Reduce anxiety\nSleep better\n\n")
    browser.find_element(By.NAME, "common_techniques").send_keys("Psycho-education")
    _screenshot(browser, "2-template-form")
    _submit(browser, browser.find_element(By.NAME, "_save"))
    assert "was added successfully" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    template = SessionTemplate.objects.get(name="Intake")
    assert (template.practice_id, template.default_goals) == (practice.pk, ["Reduce anxiety", "Sleep better"])
    assert template.common_techniques == ["Psycho-education"]

    # The no-show policy: raise the default fee.
    browser.get(f"{live_server.url}/admin/scheduling/noshowpolicy/{policy.pk}/change/")
    fee = browser.find_element(By.NAME, "default_fee")
    fee.clear()
    fee.send_keys("30.00")
    _submit(browser, browser.find_element(By.NAME, "_save"))
    assert "was changed successfully" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    policy.refresh_from_db()
    assert policy.default_fee == Decimal("30.00")

    # The appointment reads 07:30, the practice's time, in the list and on its page.
    browser.get(f"{live_server.url}/admin/scheduling/appointment/?therapist__id__exact={therapist.pk}&week=0")
    browser.get(f"{live_server.url}/admin/scheduling/appointment/?therapist__id__exact={therapist.pk}")
    row = browser.find_element(By.CSS_SELECTOR, "#result_list tbody tr").text
    assert "07:30-08:20" in row and "Anna Jansen" in row
    _screenshot(browser, "3-appointments")
    browser.get(f"{live_server.url}/admin/scheduling/appointment/{appointment.pk}/change/")
    assert browser.find_element(By.NAME, "starts_at_1").get_attribute("value").startswith("07:30")
    assert "Time in Europe/Amsterdam" in browser.find_element(By.CSS_SELECTOR, ".field-starts_at").text

    # The client's access log, in the client's language (the practice's: Dutch).
    browser.get(f"{live_server.url}/admin/practice/client/{client.pk}/access-log/")
    assert "Nobody opened" not in browser.page_source
    assert "inzageoverzicht" in browser.find_element(By.CSS_SELECTOR, ".access-log").text
    _screenshot(browser, "4-access-log")

    # In Dutch once the staff member chooses it.
    staff_member.preferred_language = "nl"
    staff_member.save(update_fields=["preferred_language"])
    browser.get(f"{live_server.url}/admin/")
    assert browser.find_element(By.ID, "site-name").text == "Praktijkbeheer"
    assert browser.find_element(By.CSS_SELECTOR, ".practice-time-zone").get_attribute("textContent") == (
        "Tijden in Europe/Amsterdam"
    )
    _screenshot(browser, "5-index-nl")


@pytest.mark.parametrize(("path", "rendered"), [("/api/redoc/", ".api-info h1"), ("/api/docs/", ".swagger-ui .title")])
def test_the_docs_render_without_any_other_server(browser, live_server, path, rendered):
    from selenium.webdriver.common.by import By

    browser.get(f"{live_server.url}{path}")
    assert "Practice API" in browser.find_element(By.CSS_SELECTOR, rendered).text
    requested = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert any(url.startswith(f"{live_server.url}/static/") for url in requested)
    # Redoc's menu names a logo on a CDN: the page's Content-Security-Policy blocks it, so
    # the browser never sends the request (it lists it, unsent, and says why).
    console = [entry["message"] for entry in browser.get_log("browser")]
    for url in requested:
        if not url.startswith((live_server.url, "data:", "blob:")):
            assert any(url in line and "Content Security Policy" in line for line in console), url
    _screenshot(browser, "6-redoc" if "redoc" in path else "7-swagger")
