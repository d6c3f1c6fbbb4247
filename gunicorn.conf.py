"""gunicorn reads this file from its working directory on every start (the Dockerfile's and docker-compose's).

The access log leaves out query strings and the referrer: a search's words (`?q=...`) may be personal data,
and the app's own access log keeps them only as a salted hash (mshtgov.audit). Path, status, size and time
are enough to run the service.
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


def post_worker_init(worker):
    """Once a worker has loaded the app (Django, every app's models, forms and URLs), move what it loaded out of
    the collector's reach: those objects live as long as the worker, yet every full collection walked all of
    them again (a few milliseconds, taken by whichever request happened to trigger it). Objects made later
    are collected as before (issue 15)."""
    import gc

    gc.collect()
    gc.freeze()
