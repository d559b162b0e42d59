"""A buyer account in one shop, for the signed-in scenarios: run with that shop's settings.

    python -m tests.benchmarks.buyer '{"email": "...", "password": "..."}'

Made in the database rather than through the shop's registration form, which differs
between the two shops; the scenario then signs in through the login form, as a buyer does.
Prints one JSON line: {"email": ...}.
"""

import json
import sys

from .client import django_setup, emit


def main(spec: dict) -> dict:
    django_setup()
    from django.contrib.auth import get_user_model

    model = get_user_model()
    user = model.objects.filter(email=spec["email"]).first()
    if user is None:
        fields = {"email": spec["email"]}
        if model.USERNAME_FIELD != "email":
            fields[model.USERNAME_FIELD] = spec["email"].split("@")[0][:30]
        user = model(**fields)
    user.set_password(spec["password"])
    user.is_active = True
    user.save()
    return {"email": user.email}


if __name__ == "__main__":
    emit(main(json.loads(sys.argv[1])))
