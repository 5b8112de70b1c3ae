"""Readers and an editor on the busiest day, for locust (started by `bench/load/run.py`).

Readers: 80% article pages, 10% search (a third of it junk), 5% feeds and sitemaps,
5% listings, in all three languages. The editor saves articles through the admin form, as
a browser would, and logs each save it was told succeeded, for the lost-write check.
"""

import json
import os
import random
from collections import Counter
from html.parser import HTMLParser

from locust import HttpUser, between, constant, events, task

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
STATUSES = Counter()
SEARCH_WORDS = ["energy", "grid", "élections", "выборы", "port", "market", "water", "tariff"]
JUNK_QUERIES = [
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "a" * 500,
    "🗞️👩🏽‍💻",
    "\u202eevil",
    "%%%",
    "&&|| !! ::*",
    "",
    "\x00",
]


@events.request.add_listener
def count_status(response, exception, **kwargs):
    STATUSES[getattr(response, "status_code", 0) if exception is None else "error"] += 1


@events.quitting.add_listener
def save_statuses(environment, **kwargs):
    with open(os.environ["LOAD_STATUSES"], "w", encoding="utf-8") as output:
        json.dump({str(status): count for status, count in STATUSES.items()}, output)


class Reader(HttpUser):
    weight = 20
    wait_time = constant(0)

    @task(80)
    def article(self):
        self.client.get(random.choice(PLAN["articles"]), name="article")

    @task(10)
    def search(self):
        language = random.choice(["en", "fr", "ru"])
        if random.random() < 1 / 3:
            query = random.choice(JUNK_QUERIES)
        else:
            query = " ".join(random.sample(SEARCH_WORDS, random.randint(1, 2)))
        self.client.get(f"/{language}/search/", params={"q": query}, name="search")

    @task(5)
    def feed_or_sitemap(self):
        self.client.get(random.choice(PLAN["feeds"]), name="feed or sitemap")

    @task(5)
    def listing(self):
        self.client.get(random.choice(PLAN["listings"]), name="listing")


class FormParser(HTMLParser):
    """The values a browser would send for the admin's change form."""

    def __init__(self):
        super().__init__()
        self.fields, self._textarea, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data


class Editor(HttpUser):
    fixed_count = 1
    wait_time = between(0.2, 0.6)

    def on_start(self):
        login = self.client.get("/admin/login/", name="editor: login")
        token = self.client.cookies.get("csrftoken") or login.cookies.get("csrftoken")
        self.client.post(
            "/admin/login/?next=/admin/",
            data={
                "username": PLAN["editor"]["username"],
                "password": PLAN["editor"]["password"],
                "csrfmiddlewaretoken": token,
                "next": "/admin/",
            },
            name="editor: login",
        )
        self.saves = 0

    @task
    def save_article(self):
        article_id = random.choice(PLAN["edited"])
        url = f"/admin/articles/article/{article_id}/change/"
        page = self.client.get(url, name="editor: open")
        parser = FormParser()
        parser.feed(page.text)
        fields = [(name, value) for name, value in parser.fields if name != "title_en"]
        self.saves += 1
        title = f"Edited under load #{self.saves} ({article_id})"
        fields += [("title_en", title), ("_save", "Save")]
        with self.client.post(
            url, data=fields, name="editor: save", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                with open(os.environ["LOAD_SAVES"], "a", encoding="utf-8") as log:
                    log.write(json.dumps({"id": article_id, "title": title}) + "\n")
            else:
                response.failure(f"save answered {response.status_code}")
