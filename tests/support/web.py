"""A test client's CSRF token and login, as a browser gets them."""

import re

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email: str, password: str):
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})
