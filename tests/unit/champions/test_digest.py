from datetime import date

from mhsip.champions.digest import site_link, week_of


def test_a_week_starts_on_monday():
    assert week_of(date(2026, 6, 7)) == date(2026, 6, 1)  # a Sunday
    assert week_of(date(2026, 6, 1)) == date(2026, 6, 1)


def test_links_use_the_site_address(settings):
    settings.MHSIP_SITE_URL = "https://mhsip.example.nhs.uk/"

    assert site_link("/champions/") == "https://mhsip.example.nhs.uk/champions/"
