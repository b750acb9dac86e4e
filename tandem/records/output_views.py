"""PLACEHOLDER: replaced by the output pages."""

from django.http import Http404


def record_print(request, *args, **kwargs):
    raise Http404


def record_pdf(request, *args, **kwargs):
    raise Http404


def case_decisions(request, *args, **kwargs):
    raise Http404


def action_list(request, *args, **kwargs):
    raise Http404


def action_status(request, *args, **kwargs):
    raise Http404


def record_viewers(request, *args, **kwargs):
    raise Http404


def record_viewer_remove(request, *args, **kwargs):
    raise Http404
