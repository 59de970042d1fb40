"""A refused desk form opens with an error summary whose messages link to
their fields (WCAG 3.3.1): the admin's new user, the supervisor's new panel."""

import pytest

from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, login


@pytest.mark.parametrize(
    ("role", "form_page", "action", "fields"),
    [
        ("admin", "/admin/users", "/admin/users", ["name", "email", "password"]),
        ("supervisor", "/panels/new", "/panels/", ["position_title", "held_on"]),
    ],
)
def test_refused_form_links_each_error_to_its_field(
    client, factory, role, form_page, action, fields
):
    user = factory.user(role)
    login(client, user.email, PASSWORD)
    token = csrf_token(client, form_page)
    answer = client.post(action, data={"csrf_token": token})
    assert answer.status_code in (400, 422)
    page = answer.get_data(as_text=True)
    assert 'class="error-summary"' in page
    for name in fields:
        assert f'<a href="#{name}">' in page, name
        assert f'id="{name}"' in page
