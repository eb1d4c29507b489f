import pytest


@pytest.mark.django_db
def test_home_renders_the_nhsuk_page(client):
    response = client.get("/")

    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["web/home.html", "base.html"]
    content = response.content.decode()
    assert '<a class="nhsuk-skip-link"' in content
    assert 'class="nhsuk-header"' in content
    assert 'class="nhsuk-footer"' in content
    assert "<h1>Reducing restrictive practice on mental health wards</h1>" in content


@pytest.mark.django_db
def test_home_sends_security_headers(client):
    response = client.get("/")

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_unknown_page_is_404(client, db):
    response = client.get("/no-such-page")

    assert response.status_code == 404
