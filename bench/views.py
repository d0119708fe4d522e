from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def floor(request: HttpRequest) -> HttpResponse:
    """The base template through the full middleware stack, and nothing else.

    Every page is reported as a ratio to this: what the framework, the layout and this
    machine cost before a page does any work of its own.
    """
    return render(request, "base.html", {})
