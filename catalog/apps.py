import oscar.apps.catalogue.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalog"

    def ready(self):
        super().ready()
        from catalog.product_views import analytics_receivers_connect

        analytics_receivers_connect()
        self.segment_view = get_class("catalogue.views", "SegmentView")

    def get_urls(self):
        # Oscar's catalogue URLs, plus one listing page per buyer segment.
        urls = super().get_urls()
        urls += [
            path("segment/<slug:slug>/", self.segment_view.as_view(), name="segment"),
        ]
        return self.post_process_urls(urls)
