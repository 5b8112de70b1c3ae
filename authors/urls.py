from django.urls import path

from articles.feeds import AuthorFeed
from authors import views

app_name = "authors"

urlpatterns = [
    path("", views.AuthorListView.as_view(), name="list"),
    path("<slug:slug>/", views.AuthorDetailView.as_view(), name="detail"),
    path("<slug:slug>/rss/", AuthorFeed(), name="rss"),
    path("<slug:slug>/atom/", AuthorFeed(atom=True), name="atom"),
]
