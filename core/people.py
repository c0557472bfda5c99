"""People as councils name them: a post ("Head of Service for Education"), a name or a login.

Spreadsheets name an owner or manager however the council writes it. `UserMatcher` finds the
account (by username, email address or full name, ignoring case); when none matches, the text is
kept on the record and `core.services.people_link_by_name` links the account once one exists.
"""

from django.contrib.auth import get_user_model


def _key(text: str) -> str:
    return " ".join((text or "").split()).lower()


class UserMatcher:
    """Active users by username, email and full name. A full name two people share matches nobody."""

    def __init__(self, users=None):
        if users is None:
            users = get_user_model().objects.filter(is_active=True).only(
                "pk", "username", "email", "first_name", "last_name"
            )
        self.by_login: dict[str, object] = {}
        by_name: dict[str, list] = {}
        for user in users:
            self.by_login[_key(user.username)] = user
            if user.email:
                self.by_login.setdefault(_key(user.email), user)
            full = _key(f"{user.first_name} {user.last_name}")
            if full:
                by_name.setdefault(full, []).append(user)
        self.by_name = {name: found[0] for name, found in by_name.items() if len(found) == 1}

    def match(self, text: str):
        key = _key(text)
        if not key:
            return None
        return self.by_login.get(key) or self.by_name.get(key)


def person_label(user, text: str = "") -> str:
    """How a page names an owner or manager: the account's name, else the text kept from the spreadsheet."""
    if user is not None:
        return user.get_full_name() or user.username
    return text
