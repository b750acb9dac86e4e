"""PLACEHOLDER: the pages helper replaces this module."""

from django.http import Http404


def record_list(request, *args, **kwargs):
    raise Http404


def record_detail(request, *args, **kwargs):
    raise Http404


def record_write(request, *args, **kwargs):
    raise Http404


def record_autosave(request, *args, **kwargs):
    raise Http404


def record_share(request, *args, **kwargs):
    raise Http404


def record_sign(request, *args, **kwargs):
    raise Http404


def record_versions(request, *args, **kwargs):
    raise Http404


def addendum_add(request, *args, **kwargs):
    raise Http404


def addendum_sign(request, *args, **kwargs):
    raise Http404


def disagreement_raise(request, *args, **kwargs):
    raise Http404


def welfare_open(request, *args, **kwargs):
    raise Http404


def record_print(request, *args, **kwargs):
    raise Http404


def record_pdf(request, *args, **kwargs):
    raise Http404


def session_record(request, *args, **kwargs):
    raise Http404


def disagreement_list(request, *args, **kwargs):
    raise Http404


def disagreement_detail(request, *args, **kwargs):
    raise Http404


def action_list(request, *args, **kwargs):
    raise Http404


def action_status(request, *args, **kwargs):
    raise Http404


def case_decisions(request, *args, **kwargs):
    raise Http404


def record_viewers(request, *args, **kwargs):
    raise Http404


def record_viewer_remove(request, *args, **kwargs):
    raise Http404
