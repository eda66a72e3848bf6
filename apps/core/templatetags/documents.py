"""Template filters for official documents: ``{% load documents %}``, then ``{{ place|place_and_date:day }}``."""

from django import template

from apps.core import documents

register = template.Library()


@register.filter
def place_and_date(place, day):
    return documents.place_and_date(place, day)


@register.filter
def number_and_symbol(number, symbol=documents.DECISION_SYMBOL):
    return documents.number_and_symbol(number, symbol)


@register.filter
def authority_lines(signer_title):
    return documents.authority_lines(signer_title)


@register.filter
def issuer_lines(issuer_name):
    return documents.issuer_lines(issuer_name)


@register.filter
def issuing_body(unit_name):
    return documents.issuing_body(unit_name)


@register.filter
def full_address(producer):
    return documents.full_address(producer.address, producer.commune)
