# The app servers (gunicorn, deploy/gunicorn.conf.py) and who may purge: edit for your
# network. Included by newsroom.vcl.
import directors;

# An app server is left out once 4 of its last 5 probes failed: busy, it may answer a probe
# late without being gone (one gone is skipped at once: newsroom.vcl retries on the next).
probe newsroom_live {
    .url = "/health/live/";
    .interval = 2s;
    .timeout = 3s;
    .window = 5;
    .threshold = 2;
}

backend app1 {
    .host = "10.0.0.11";
    .port = "8000";
    .probe = newsroom_live;
}

backend app2 {
    .host = "10.0.0.12";
    .port = "8000";
    .probe = newsroom_live;
}

# The app servers send the purges; nobody else may.
acl purgers {
    "localhost";
    "10.0.0.11";
    "10.0.0.12";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}
