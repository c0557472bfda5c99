"""The admin shows the five role groups read-only: their permissions are kept in code and set by every migrate."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.roles import COMMISSIONER, ROLES, VIEWER

NOTE = "Its permissions are kept in code"


@pytest.fixture
def commissioners():
    return Group.objects.get(name=COMMISSIONER)


def test_the_list_marks_each_role_as_kept_in_code(admin_user_client):
    Group.objects.create(name="Finance business partners")
    html = admin_user_client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert "Role kept in code" in html
    for role in ROLES:
        assert f">{role}</a>" in html
    assert html.count('alt="True"') == len(ROLES) and html.count('alt="False"') == 1
    # No bulk delete: it could take a role with it.
    assert "delete_selected" not in html


def test_a_role_page_shows_its_permissions_and_the_note_but_no_save(
    admin_user_client, commissioners, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):
        response = admin_user_client.get(reverse("admin:auth_group_change", args=[commissioners.pk]))
    html = response.content.decode()
    assert NOTE in html and "set again by every migrate" in html
    assert "<li>Contracts and the market: Can change contract</li>" in html
    assert "gateway approver)</li>" not in html
    assert ("No role holds “Can decide a gateway (gateway approver)”: give it to the person who holds the post, "
            "under Users, in their user permissions.") in html
    assert 'name="_save"' not in html and 'name="permissions"' not in html
    assert reverse("admin:auth_group_delete", args=[commissioners.pk]) not in html


def test_a_role_cannot_be_changed_or_deleted_through_the_admin(admin_user_client, commissioners):
    before = set(commissioners.permissions.values_list("pk", flat=True))
    one = Permission.objects.get(codename="view_contract")
    response = admin_user_client.post(
        reverse("admin:auth_group_change", args=[commissioners.pk]), {"name": "Commissioner", "permissions": [one.pk]}
    )
    assert response.status_code == 403
    assert admin_user_client.post(reverse("admin:auth_group_delete", args=[commissioners.pk]),
                                  {"post": "yes"}).status_code == 403
    commissioners.refresh_from_db()
    assert set(commissioners.permissions.values_list("pk", flat=True)) == before
    assert Group.objects.filter(name=COMMISSIONER).exists()


def test_a_group_that_is_not_a_role_is_edited_as_usual(admin_user_client):
    group = Group.objects.create(name="Finance business partners")
    one = Permission.objects.get(codename="view_contract")
    url = reverse("admin:auth_group_change", args=[group.pk])
    html = admin_user_client.get(url).content.decode()
    assert NOTE not in html and 'name="_save"' in html
    response = admin_user_client.post(url, {"name": "Finance business partners", "permissions": [one.pk]})
    assert response.status_code == 302
    assert list(group.permissions.values_list("codename", flat=True)) == ["view_contract"]


def test_what_the_admin_shows_is_what_migrate_sets(admin_user_client):
    """The page lists the role's permissions as core.roles decides them: a viewer reads, never changes."""
    viewers = Group.objects.get(name=VIEWER)
    html = admin_user_client.get(reverse("admin:auth_group_change", args=[viewers.pk])).content.decode()
    assert "<li>Contracts and the market: Can view contract</li>" in html
    assert "Can change contract" not in html and "Can view report run" not in html
