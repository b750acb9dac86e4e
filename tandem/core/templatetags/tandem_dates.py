"""Template filters every template has (a builtin in settings): ``long_date``."""

from django import template

from tandem.core.dates import long_date_filter

register = template.Library()
register.filter("long_date", long_date_filter)
