"""Registers the service as a confidential client and puts the people (with their groups) in the provider, from
JSON on standard input; run again, it updates them (a person moved to another group, say)."""

import json
import sys

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application


class Command(BaseCommand):
    def handle(self, *args, **options):
        data = json.load(sys.stdin)
        Application.objects.update_or_create(
            client_id=data["client_id"],
            defaults={
                "name": "Children's commissioning",
                "client_secret": data["client_secret"],
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": data["redirect_uri"],
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": False,
            },
        )
        for person in data["people"]:
            user, _ = User.objects.update_or_create(
                username=person["username"],
                defaults={"email": person["email"], "first_name": person["given_name"],
                          "last_name": person["family_name"]},
            )
            user.set_password(person["password"])
            user.save()
            user.groups.set([Group.objects.get_or_create(name=name)[0] for name in person["groups"]])
