"""gunicorn reads this file from its working directory on every start (the Dockerfile's and docker-compose's).

The access log leaves out query strings and the referrer: a search's words (`?q=...`) may be personal data,
and the app's own access log keeps them only as a salted hash (mshtgov.audit). Path, status, size and time
are enough to run the service.
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
