"""Views of the operations register."""

from functools import wraps

from django.http import Http404

from mshtgov.roles import is_external_partner


def unknown_to_partners(view):
    """External partners get 404 on every page of the register, before any gate could answer 403: they
    must not learn that the register, or a record in it, exists. The view's `@require` rule is kept
    (functools.wraps copies it), so menus and the permission meta-test still read it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_external_partner(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
