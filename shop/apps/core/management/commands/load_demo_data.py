from django.core.management.base import BaseCommand

from shop.apps.core.demo import demo_data_load


class Command(BaseCommand):
    help = (
        "Build (or refresh) a believable demo shop offline: Lapas, workshops, categories, "
        "products with drawn images, one user per role and the CMS home page. "
        "Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        result = demo_data_load()

        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("")
        width = max(len(name) for name in result.counts)
        for name, count in result.counts.items():
            self.stdout.write(f"  {name.ljust(width)}  {count:>5}")

        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING("Demo logins (demo only, never in production)")
        )
        self._table(
            ("role", "username", "email", "password", "log in at", "then open"),
            [
                (
                    f"{user['role_label']} ({user['lapas']})"
                    if user["lapas"]
                    else user["role_label"],
                    user["username"],
                    user["email"],
                    user["password"],
                    user["login_url"],
                    ", ".join(user["urls"]),
                )
                for user in result.users
            ],
        )
        self.stdout.write("")
        self.stdout.write(
            "The shop and the dashboard share /accounts/login/, which asks for the e-mail "
            "address; the CMS has its own login at /cms/login/, which takes the username."
        )

    def _table(self, header, rows):
        widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]

        def line(cells):
            return "  ".join(
                str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)
            )

        self.stdout.write(self.style.HTTP_INFO(line(header).rstrip()))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row).rstrip())
