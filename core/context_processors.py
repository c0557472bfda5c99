from django.conf import settings


def service(request):
    """Council and service names for every page, and which navigation section is current.

    A view may set `nav_section`; otherwise the URL namespace (or name) decides.
    """
    section = None
    match = getattr(request, "resolver_match", None)
    if match is not None:
        view_class = getattr(match.func, "view_class", None)
        section = getattr(view_class, "nav_section", None) or match.namespace or match.url_name
    return {
        "AUTHORITY_NAME": settings.AUTHORITY_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "nav_section": section,
        "SESSION_IDLE_TIMEOUT": settings.SESSION_IDLE_TIMEOUT,
        "SESSION_IDLE_WARNING": settings.SESSION_IDLE_WARNING,
    }
