"""RSS 2.0 and Atom feeds of the published news, in the language of the URL (/ru/news/feed/…)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import NewsArticle

FEED_SIZE = 20


class NewsFeed(Feed):
    title = _("Andijan Youth Technopark: news")
    description = _("News of the Andijan Youth Technopark: programmes, InnoX, FabLab.")
    # Atom requires an author for the feed (or every entry): the technopark, which publishes them.
    author_name = _("Andijan Youth Technopark")

    def author_link(self):
        from django.conf import settings

        return settings.SITE_URL

    def link(self):
        return reverse("news_list")

    def feed_url(self):
        return reverse("news_feed_rss")

    def items(self):
        return NewsArticle.objects.published().only("title", "slug", "lead", "published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description

    def feed_url(self):
        return reverse("news_feed_atom")
