from django import template

from shop.apps.core import page_holes

register = template.Library()


@register.tag
def hole(parser, token):
    """``{% hole "basket" %}…{% endhole %}``: marks the part of a page that belongs to one
    visitor (shop.apps.core.page_holes). The part is rendered as usual; the shared copy of
    the page that the page cache keeps has it filled in again for each visitor."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% hole "name" %}…{% endhole %}')
    name = bits[1][1:-1]
    if name not in page_holes.NAMES:
        raise template.TemplateSyntaxError(f"Unknown page hole {name!r}")
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(name, nodelist)


class HoleNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        start, end = page_holes.markers(self.name)
        return f"{start}{self.nodelist.render(context)}{end}"
