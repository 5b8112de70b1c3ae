"""Health endpoints for load balancers: liveness and readiness, answered separately."""

from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from newsroom.errors import DATABASE_UNAVAILABLE, RETRY_AFTER
from newsroom.replica import REPLICA


@never_cache
def live(request):
    """The process is up and answering; touches nothing else, so a database outage does
    not make the load balancer restart healthy processes."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    """Every configured database answers a query: send readers here, or not yet. A
    read replica does not count: without it, readers' pages read from the primary."""
    unavailable = []
    for alias in connections:
        if alias == REPLICA:
            continue
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DATABASE_UNAVAILABLE:
            unavailable.append(alias)
    if unavailable:
        response = JsonResponse({"status": "unavailable", "databases": unavailable}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return JsonResponse({"status": "ok"})
