"""Helpers of the attack suite: operators on a real stack, the admin login form, HTTP Basic headers."""
import base64
import re
import uuid

import requests

OPERATOR_PASSWORD = "operator-pass-1"


def basic(username, password):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def create_operator(stack, staff=True):
    """A superuser (or a plain control-database user) made with manage.py; returns (username, pk)."""
    name = f"op{uuid.uuid4().hex[:6]}"
    make = "create_superuser" if staff else "create_user"
    out = stack.manage("shell", "-c", f"from accounts.models import User; "
                       f"print(User.objects.{make}('{name}', '{name}@example.com', '{OPERATOR_PASSWORD}').pk)")
    return name, int(out.stdout.strip().splitlines()[-1])


def admin_login(stack, username, password, client_ip=None):
    """POST the admin login form as a browser does (CSRF cookie and token); returns the response, unfollowed."""
    session = requests.Session()
    headers = {"Host": "localhost", **({"X-Forwarded-For": client_ip} if client_ip else {})}
    page = session.get(stack.url("/admin/login/"), headers=headers, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(stack.url("/admin/login/?next=/admin/"), headers=headers, timeout=30,
                            allow_redirects=False,
                            data={"csrfmiddlewaretoken": token, "username": username, "password": password,
                                  "next": "/admin/"})
    response.session = session
    return response
