from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import ROLES, ROLES_BY_CODE

# Editors may edit, publish and lock every page of the marketing site.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page")


def _permissions(codes, using):
    found = []
    for code in codes:
        app_label, codename = code.split(".")
        perm = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if perm is not None:
            found.append(perm)
    return found


@transaction.atomic
def roles_sync(*, using: str = "default") -> dict[str, Group]:
    """Create or update one group per role with exactly the role's permissions."""
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role.group_name)
        group.permissions.set(_permissions(role.permissions, using))
        groups[role.code] = group
    _grant_editor_pages(groups["editor"], using)
    _grant_editor_collections(groups["editor"], using)
    return groups


def _grant_editor_pages(group, using):
    from wagtail.models import GroupPagePermission, Page

    root = Page.objects.using(using).filter(depth=1).first()
    if root is None:
        return
    for perm in _permissions([f"wagtailcore.{c}" for c in EDITOR_PAGE_PERMISSIONS], using):
        GroupPagePermission.objects.using(using).get_or_create(
            group=group, page=root, permission=perm
        )


def _grant_editor_collections(group, using):
    # Wagtail grants image and document permissions per collection, not by model
    # permission alone: editors get them on the root collection, so on every collection.
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.objects.using(using).filter(depth=1).first()
    if root is None:
        return
    codes = [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ]
    for perm in _permissions(codes, using):
        GroupCollectionPermission.objects.using(using).get_or_create(
            group=group, collection=root, permission=perm
        )


@transaction.atomic
def user_assign_role(*, user, role_code: str, lapas=None):
    """Give a user a role; roles scoped to a Lapas also make them a member of it."""
    role = ROLES_BY_CODE[role_code]
    group = Group.objects.get(name=role.group_name)
    user.groups.add(group)
    if role.scoped_to_lapas:
        if lapas is None:
            raise ValueError(f"The role {role_code} needs a Lapas.")
        lapas.users.add(user)
    return user
