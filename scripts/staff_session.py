#!/usr/bin/env python3
"""Sign a staff account in over the API as the portal requires: the password, then the second
factor (enrolling an authenticator the first time, with pyotp computing the code). Prints the
session cookie's value; used by the benchmarks and the API fuzzer.

    scripts/staff_session.py http://127.0.0.1:3000 EMAIL PASSWORD
"""
import http.cookiejar
import json
import sys
import urllib.error
import urllib.request

import pyotp


def call(opener, base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json", "Origin": base})
    try:
        with opener.open(req) as res:
            text = res.read().decode()
            return res.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        return e.code, json.loads(text) if text else None


def sign_in(base, email, password):
    """A complete session's cookie value; enrols an authenticator when the account has none."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, out = call(opener, base, "POST", "/api/v1/auth/login", {"email": email, "password": password})
    assert status == 200, (status, out)
    if out.get("second_factor") == "enrol":
        status, enrol = call(opener, base, "POST", "/api/v1/me/totp", {})
        assert status == 200, (status, enrol)
        status, out = call(opener, base, "POST", "/api/v1/me/totp/confirm", {"code": pyotp.TOTP(enrol["secret"]).now()})
        assert status == 200, (status, out)
    elif out.get("second_factor") == "required":
        raise SystemExit(f"{email} already has an authenticator this script does not know")
    return next(c.value for c in jar if c.name == "uhd_session")


if __name__ == "__main__":
    print(sign_in(sys.argv[1], sys.argv[2], sys.argv[3]))
