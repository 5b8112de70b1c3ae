from django.urls import path, re_path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("atom/", feeds.LatestArticlesFeed(atom=True), name="atom"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("sections/<slug:slug>/rss/", feeds.SectionFeed(), name="section-rss"),
    path("sections/<slug:slug>/atom/", feeds.SectionFeed(atom=True), name="section-atom"),
    path("topics/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    path("topics/<slug:slug>/rss/", feeds.TopicFeed(), name="topic-rss"),
    path("topics/<slug:slug>/atom/", feeds.TopicFeed(atom=True), name="topic-atom"),
    path("archive/", views.ArchiveIndex.as_view(), name="archive"),
    re_path(r"^(?P<year>[0-9]{4})/$", views.YearArchive.as_view(), name="archive-year"),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>0[1-9]|1[0-2])/$",
        views.MonthArchive.as_view(),
        name="archive-month",
    ),
]
